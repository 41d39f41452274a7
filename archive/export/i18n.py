"""The site's interface words in English, Russian and Tajik, and their plural forms."""

from __future__ import annotations

from dataclasses import dataclass

import babel

LANGUAGES: tuple[str, ...] = ("en", "ru", "tg")

# The order in which a page in one language looks for a text missing in it. Tajik readers
# usually read Russian, so Tajik pages fall back to Russian before English.
FALLBACK: dict[str, tuple[str, ...]] = {
    "en": ("en", "ru", "tg"),
    "ru": ("ru", "en", "tg"),
    "tg": ("tg", "ru", "en"),
}

# The name of each language in itself, for the language switch.
NATIVE_NAMES: dict[str, str] = {"en": "English", "ru": "Русский", "tg": "Тоҷикӣ"}

# Every string has its Tajik from ../shared/tajik-ui.md; the mark beside it says how sure we
# are: ✔ standard usage, ~ a good choice that a speaker should confirm. Never leave a Tajik
# string empty: an empty one would fall back to Russian, which a Tajik page must not show.
STRINGS: dict[str, dict[str, str]] = {
    "home": {"en": "Home", "ru": "Главная", "tg": "Саҳифаи асосӣ"},  # ✔
    "search": {"en": "Search", "ru": "Поиск", "tg": "Ҷустуҷӯ"},
    "search_label": {
        "en": "Search the catalogue",
        "ru": "Поиск по каталогу",
        "tg": "Ҷустуҷӯ дар феҳрист",
    },  # ✔
    "search_placeholder": {
        "en": "felt, Хорог, jurab…",
        "ru": "войлок, Khorog, джурабы…",
        "tg": "намад, Хоруғ, ҷӯроб…",
    },
    "search_button": {"en": "Search", "ru": "Найти", "tg": "Ҷустуҷӯ"},
    "search_needs_js": {
        "en": "Searching needs JavaScript. You can still browse by technique, place, "
        "object type or year below.",
        "ru": "Для поиска нужен JavaScript. Каталог можно просматривать по технике, месту, "
        "типу предмета или году.",
        # ~
        "tg": "Барои ҷустуҷӯ JavaScript лозим аст. Бо вуҷуди ин, дар поён метавонед "
        "феҳристро аз рӯи усул, ҷой, навъи ашё ё сол тамошо кунед.",
    },
    # "results" is the search data's word (search/data.js); pages count with PLURALS.
    "results": {"en": "results", "ru": "результатов", "tg": "натиҷа"},
    "results_heading": {"en": "Results", "ru": "Результаты", "tg": "Натиҷаҳо"},  # ✔
    "no_results": {
        "en": "Nothing found. Try another spelling or fewer words.",
        "ru": "Ничего не найдено. Попробуйте другое написание или меньше слов.",
        # ~
        "tg": "Ҳеҷ чиз ёфт нашуд. Калимаҳоро бо имлои дигар нависед ё шумораи онҳоро кам кунед.",
    },
    "filters": {"en": "Filter", "ru": "Фильтры", "tg": "Филтрҳо"},  # ✔
    "clear_filters": {
        "en": "Clear filters",
        "ru": "Сбросить фильтры",
        "tg": "Бекор кардани филтрҳо",
    },  # ✔
    "language": {"en": "Language", "ru": "Язык", "tg": "Забон"},
    "latest": {"en": "Latest items", "ru": "Новые материалы", "tg": "Маводи нав"},  # ✔
    "all_items": {"en": "All items", "ru": "Все материалы", "tg": "Ҳамаи мавод"},  # ✔
    "featured": {"en": "Collections", "ru": "Коллекции", "tg": "Маҷмӯаҳо"},  # ✔
    "events": {"en": "Events", "ru": "События", "tg": "Чорабиниҳо"},  # ✔
    "browse": {"en": "Browse", "ru": "Обзор", "tg": "Тамошо"},  # ~
    "timeline": {"en": "Timeline", "ru": "Хронология", "tg": "Солшумор"},  # ~
    "undated": {"en": "Undated", "ru": "Без даты", "tg": "Бе сана"},  # ✔
    "previous": {"en": "Previous", "ru": "Предыдущий", "tg": "Қаблӣ"},
    "next": {"en": "Next", "ru": "Следующий", "tg": "Баъдӣ"},
    "in_collection": {"en": "In", "ru": "В коллекции", "tg": "Дар маҷмӯаи"},  # ~
    "photo": {"en": "Photo", "ru": "Фото", "tg": "Сурат"},
    "video": {"en": "Video", "ru": "Видео", "tg": "Видео"},
    "kind": {"en": "Kind", "ru": "Вид", "tg": "Навъ"},  # ✔
    "year": {"en": "Year", "ru": "Год", "tg": "Сол"},
    "maker": {"en": "Maker", "ru": "Мастер", "tg": "Ҳунарманд"},  # ✔
    "photographer": {"en": "Photographer", "ru": "Фотограф", "tg": "Суратгир"},  # ✔
    "date_taken": {"en": "Date", "ru": "Дата", "tg": "Сана"},  # ✔
    "technique": {"en": "Technique", "ru": "Техника", "tg": "Усул"},  # ✔
    "technique_plural": {"en": "Techniques", "ru": "Техники", "tg": "Усулҳо"},  # ✔
    "material": {"en": "Material", "ru": "Материал", "tg": "Ашёи хом"},  # ~ (not "Мавод": items)
    "material_plural": {"en": "Materials", "ru": "Материалы", "tg": "Ашёи хом"},  # ~
    "object_type": {"en": "Object type", "ru": "Тип предмета", "tg": "Навъи ашё"},  # ✔
    "object_type_plural": {"en": "Object types", "ru": "Типы предметов", "tg": "Навъҳои ашё"},  # ✔
    "process_step": {"en": "Process step", "ru": "Этап работы", "tg": "Марҳилаи кор"},  # ✔
    "process_step_plural": {
        "en": "Process steps",
        "ru": "Этапы работы",
        "tg": "Марҳилаҳои кор",
    },  # ✔
    "place": {"en": "Place", "ru": "Место", "tg": "Ҷой"},
    "place_plural": {"en": "Places", "ru": "Места", "tg": "Ҷойҳо"},  # ✔
    "part_of": {"en": "Part of", "ru": "Входит в", "tg": "Қисми"},  # ~
    "event": {"en": "Event", "ru": "Событие", "tg": "Чорабинӣ"},  # ✔
    "collection": {"en": "Collection", "ru": "Коллекция", "tg": "Маҷмӯа"},  # ✔
    "keywords": {"en": "Keywords", "ru": "Ключевые слова", "tg": "Калимаҳои калидӣ"},  # ✔
    "language_of_item": {"en": "Language", "ru": "Язык", "tg": "Забон"},
    "rights": {"en": "Rights", "ru": "Права", "tg": "Ҳуқуқҳо"},  # ✔
    "enlarge": {"en": "View larger", "ru": "Увеличить", "tg": "Калонтар дидан"},  # ✔
    "close": {"en": "Close", "ru": "Закрыть", "tg": "Пӯшидан"},  # ✔
    "about": {"en": "About", "ru": "О проекте", "tg": "Дар бораи лоиҳа"},  # ✔
    "details": {"en": "Details", "ru": "Подробности", "tg": "Тафсилот"},  # ~ (not in tajik-ui.md)
    "dimensions": {"en": "Dimensions", "ru": "Размеры", "tg": "Андоза"},  # ✔
    "duration": {"en": "Duration", "ru": "Длительность", "tg": "Давомнокӣ"},  # ✔
    "key": {"en": "Catalogue key", "ru": "Шифр в каталоге", "tg": "Рамзи феҳрист"},  # ~
    "description": {"en": "Description", "ru": "Описание", "tg": "Тавсиф"},
    "chapters": {
        "en": "Steps in this video",
        "ru": "Этапы в этом видео",
        "tg": "Марҳилаҳои кор дар ин видео",
    },  # ✔
    "download": {"en": "Download the video", "ru": "Скачать видео", "tg": "Боргирии видео"},  # ✔
    "download_image": {
        "en": "Download the picture",
        "ru": "Скачать изображение",
        "tg": "Боргирии тасвир",
    },  # ~
    "zoom": {"en": "Zoom in", "ru": "Рассмотреть вблизи", "tg": "Наздиктар дидан"},  # ~
    "iiif_manifest": {
        "en": "IIIF manifest (for image viewers)",
        "ru": "Манифест IIIF (для программ просмотра)",
        "tg": "Манифести IIIF (барои барномаҳои намоиш)",
    },  # ~
    "viewer": {"en": "Zoom viewer", "ru": "Просмотр вблизи", "tg": "Намоиши наздик"},  # ~
    "viewer_offline": {
        "en": "The zoom viewer works when the site is served by a web server; "
        "opened as files, the picture is shown at its largest here.",
        "ru": "Просмотр вблизи работает, когда сайт открыт с веб-сервера; "
        "при открытии файлов изображение показано здесь в наибольшем размере.",
        "tg": "Намоиши наздик вақте кор мекунад, ки сайт аз сервери веб кушода шавад; "
        "ҳангоми кушодани файлҳо тасвир дар ин ҷо бо андозаи калонтарин нишон дода мешавад.",
    },  # ~
    "back_to_item": {
        "en": "Back to the item",
        "ru": "Назад к материалу",
        "tg": "Бозгашт ба мавод",
    },  # ~
    "download_small": {"en": "smaller file", "ru": "меньший файл", "tg": "файли хурдтар"},  # ✔
    "download_large": {"en": "larger file", "ru": "больший файл", "tg": "файли калонтар"},  # ✔
    "no_image": {
        "en": "No picture of this item is available yet.",
        "ru": "Изображения этого материала пока нет.",
        "tg": "Ҳоло тасвири ин мавод нест.",  # ✔
    },
    "not_found": {
        "en": "Page not found",
        "ru": "Страница не найдена",
        "tg": "Саҳифа ёфт нашуд",
    },  # ✔
    "not_found_text": {
        "en": "This page is not part of the catalogue, or it is no longer published.",
        "ru": "Этой страницы нет в каталоге, или она больше не публикуется.",
        "tg": "Ин саҳифа дар феҳрист нест ё дигар нашр намешавад.",  # ~
    },
    "no_items": {
        "en": "No items are published yet.",
        "ru": "Пока ничего не опубликовано.",
        "tg": "Ҳоло ҳеҷ чиз нашр нашудааст.",  # ✔
    },
    "skip": {
        "en": "Skip to content",
        "ru": "Перейти к содержанию",
        "tg": "Гузариш ба матни асосӣ",
    },  # ~
    "text_in_other_language": {
        "en": "This text is not yet available in English.",
        "ru": "Этот текст пока не переведён на русский.",
        "tg": "Ин матн ҳоло ба тоҷикӣ тарҷума нашудааст.",  # ✔
    },
    "years": {"en": "Years", "ru": "Годы", "tg": "Солҳо"},
    "main_menu": {"en": "Main menu", "ru": "Главное меню", "tg": "Менюи асосӣ"},  # ✔
    "items_nav": {"en": "Items", "ru": "Материалы", "tg": "Мавод"},  # ~
    "all_terms": {"en": "All", "ru": "Все", "tg": "Ҳама"},
    "page_of": {
        "en": "Page {n} of {total}",
        "ru": "Страница {n} из {total}",
        "tg": "Саҳифаи {n} аз {total}",
    },  # ✔
    "pages_nav": {"en": "Pages", "ru": "Страницы", "tg": "Саҳифаҳо"},  # ✔
    "previous_page": {
        "en": "Previous page",
        "ru": "Предыдущая страница",
        "tg": "Саҳифаи қаблӣ",
    },  # ✔
    "next_page": {"en": "Next page", "ru": "Следующая страница", "tg": "Саҳифаи навбатӣ"},  # ✔
}


# Words counted after a number, in each CLDR plural category the language uses (Babel's
# rules pick the category). Tajik keeps the noun singular after any number: "4 мавод".
PLURALS: dict[str, dict[str, dict[str, str]]] = {
    "items": {
        "en": {"one": "{n} item", "other": "{n} items"},
        "ru": {
            "one": "{n} материал",
            "few": "{n} материала",
            "many": "{n} материалов",
            "other": "{n} материала",
        },
        "tg": {"other": "{n} мавод"},  # ~ (a speaker may prefer "{n} адад мавод")
    },
    "results": {
        "en": {"one": "{n} result", "other": "{n} results"},
        "ru": {
            "one": "{n} результат",
            "few": "{n} результата",
            "many": "{n} результатов",
            "other": "{n} результата",
        },
        "tg": {"other": "{n} натиҷа"},  # ✔
    },
}


def plural_category(lang: str, n: int) -> str:
    """The CLDR plural category of ``n`` in ``lang`` (``one``, ``few``, ``many``, ``other``)."""
    try:
        return babel.Locale.parse(lang).plural_form(n)
    except (babel.UnknownLocaleError, ValueError):
        return "other"


def plural_forms(name: str, lang: str) -> dict[str, str]:
    """The forms of the counted word ``name`` a page in ``lang`` shows (falling back whole)."""
    forms = PLURALS[name]
    return next((forms[x] for x in FALLBACK.get(lang, LANGUAGES) if forms.get(x)), forms["en"])


@dataclass(frozen=True)
class Words:
    """The interface words of one page language; ``words["search"]`` gives the label."""

    lang: str

    def __getitem__(self, name: str) -> str:
        texts = STRINGS[name]
        for lang in FALLBACK.get(self.lang, LANGUAGES):
            if texts.get(lang):
                return texts[lang]
        return name

    def lang_of(self, name: str) -> str:
        """The language the word ``name`` is actually shown in (for ``lang=`` attributes)."""
        texts = STRINGS[name]
        return next((lang for lang in FALLBACK.get(self.lang, LANGUAGES) if texts.get(lang)), "en")

    def count(self, n: int, name: str = "items") -> str:
        """``1 item``, ``5 items``; ``2 материала``, ``5 материалов``; ``5 мавод``."""
        forms = self.forms(name)
        form = forms.get(plural_category(self.forms_lang(name), n)) or forms["other"]
        return form.format(n=n)

    def forms(self, name: str) -> dict[str, str]:
        """The plural forms of ``name`` (for the search script, which counts in the browser)."""
        return plural_forms(name, self.lang)

    def forms_lang(self, name: str) -> str:
        """The language whose forms :meth:`forms` gives (its plural rules apply)."""
        return next((x for x in FALLBACK.get(self.lang, LANGUAGES) if PLURALS[name].get(x)), "en")

    def page_of(self, n: int, total: int) -> str:
        """``Page 2 of 11``."""
        return self["page_of"].format(n=n, total=total)

    def plural(self, vocabulary: str) -> str:
        return self[f"{vocabulary}_plural"]
