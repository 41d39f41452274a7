"""The site's interface words in English, Russian and Tajik, with fallback between them."""

from __future__ import annotations

from dataclasses import dataclass

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

# Tajik strings are given only where we are sure of them; an empty one falls back to
# Russian (then English). Do not machine-translate: add a word when a speaker confirms it.
STRINGS: dict[str, dict[str, str]] = {
    "home": {"en": "Home", "ru": "Главная", "tg": ""},
    "search": {"en": "Search", "ru": "Поиск", "tg": "Ҷустуҷӯ"},
    "search_label": {"en": "Search the catalogue", "ru": "Поиск по каталогу", "tg": ""},
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
        "tg": "",
    },
    "results": {"en": "results", "ru": "результатов", "tg": "натиҷа"},
    "no_results": {
        "en": "Nothing found. Try another spelling or fewer words.",
        "ru": "Ничего не найдено. Попробуйте другое написание или меньше слов.",
        "tg": "",
    },
    "filters": {"en": "Filter", "ru": "Фильтры", "tg": ""},
    "clear_filters": {"en": "Clear filters", "ru": "Сбросить фильтры", "tg": ""},
    "language": {"en": "Language", "ru": "Язык", "tg": "Забон"},
    "latest": {"en": "Latest items", "ru": "Новые материалы", "tg": ""},
    "all_items": {"en": "All items", "ru": "Все материалы", "tg": ""},
    "featured": {"en": "Collections", "ru": "Коллекции", "tg": ""},
    "events": {"en": "Events", "ru": "События", "tg": ""},
    "browse": {"en": "Browse", "ru": "Обзор", "tg": ""},
    "timeline": {"en": "Timeline", "ru": "Хронология", "tg": ""},
    "undated": {"en": "Undated", "ru": "Без даты", "tg": ""},
    "items_count": {"en": "items", "ru": "материалов", "tg": ""},
    "item_count_one": {"en": "item", "ru": "материал", "tg": ""},
    "previous": {"en": "Previous", "ru": "Предыдущий", "tg": "Қаблӣ"},
    "next": {"en": "Next", "ru": "Следующий", "tg": "Баъдӣ"},
    "in_collection": {"en": "In", "ru": "В коллекции", "tg": ""},
    "photo": {"en": "Photo", "ru": "Фото", "tg": "Сурат"},
    "video": {"en": "Video", "ru": "Видео", "tg": "Видео"},
    "kind": {"en": "Kind", "ru": "Вид", "tg": ""},
    "year": {"en": "Year", "ru": "Год", "tg": "Сол"},
    "maker": {"en": "Maker", "ru": "Мастер", "tg": ""},
    "photographer": {"en": "Photographer", "ru": "Фотограф", "tg": ""},
    "date_taken": {"en": "Date", "ru": "Дата", "tg": ""},
    "technique": {"en": "Technique", "ru": "Техника", "tg": ""},
    "technique_plural": {"en": "Techniques", "ru": "Техники", "tg": ""},
    "material": {"en": "Material", "ru": "Материал", "tg": "Мавод"},
    "material_plural": {"en": "Materials", "ru": "Материалы", "tg": ""},
    "object_type": {"en": "Object type", "ru": "Тип предмета", "tg": ""},
    "object_type_plural": {"en": "Object types", "ru": "Типы предметов", "tg": ""},
    "process_step": {"en": "Process step", "ru": "Этап работы", "tg": ""},
    "process_step_plural": {"en": "Process steps", "ru": "Этапы работы", "tg": ""},
    "place": {"en": "Place", "ru": "Место", "tg": "Ҷой"},
    "place_plural": {"en": "Places", "ru": "Места", "tg": ""},
    "part_of": {"en": "Part of", "ru": "Входит в", "tg": ""},
    "event": {"en": "Event", "ru": "Событие", "tg": ""},
    "collection": {"en": "Collection", "ru": "Коллекция", "tg": ""},
    "keywords": {"en": "Keywords", "ru": "Ключевые слова", "tg": ""},
    "language_of_item": {"en": "Language", "ru": "Язык", "tg": "Забон"},
    "rights": {"en": "Rights", "ru": "Права", "tg": ""},
    "dimensions": {"en": "Dimensions", "ru": "Размеры", "tg": ""},
    "duration": {"en": "Duration", "ru": "Длительность", "tg": ""},
    "key": {"en": "Catalogue key", "ru": "Шифр в каталоге", "tg": ""},
    "description": {"en": "Description", "ru": "Описание", "tg": "Тавсиф"},
    "chapters": {"en": "Steps in this video", "ru": "Этапы в этом видео", "tg": ""},
    "download": {"en": "Download the video", "ru": "Скачать видео", "tg": ""},
    "download_small": {"en": "smaller file", "ru": "меньший файл", "tg": ""},
    "download_large": {"en": "larger file", "ru": "больший файл", "tg": ""},
    "no_image": {
        "en": "No picture of this item is available yet.",
        "ru": "Изображения этого материала пока нет.",
        "tg": "",
    },
    "not_found": {"en": "Page not found", "ru": "Страница не найдена", "tg": ""},
    "not_found_text": {
        "en": "This page is not part of the catalogue, or it is no longer published.",
        "ru": "Этой страницы нет в каталоге, или она больше не публикуется.",
        "tg": "",
    },
    "no_items": {
        "en": "No items are published yet.",
        "ru": "Пока ничего не опубликовано.",
        "tg": "",
    },
    "skip": {"en": "Skip to content", "ru": "Перейти к содержанию", "tg": ""},
    "text_in_other_language": {
        "en": "This text is not yet available in English.",
        "ru": "Этот текст пока не переведён на русский.",
        "tg": "",
    },
    "years": {"en": "Years", "ru": "Годы", "tg": "Солҳо"},
    "main_menu": {"en": "Main menu", "ru": "Главное меню", "tg": ""},
    "items_nav": {"en": "Items", "ru": "Материалы", "tg": ""},
    "all_terms": {"en": "All", "ru": "Все", "tg": "Ҳама"},
    "page_of": {"en": "Page {n} of {total}", "ru": "Страница {n} из {total}", "tg": ""},
    "pages_nav": {"en": "Pages", "ru": "Страницы", "tg": ""},
    "previous_page": {"en": "Previous page", "ru": "Предыдущая страница", "tg": ""},
    "next_page": {"en": "Next page", "ru": "Следующая страница", "tg": ""},
}


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

    def count(self, n: int) -> str:
        """``1 item``, ``5 items``; Russian plural forms by the usual rule."""
        if self.lang == "ru" or self.lang_of("items_count") == "ru":
            tail = n % 100
            if n % 10 == 1 and tail != 11:
                return f"{n} материал"
            if 2 <= n % 10 <= 4 and not 12 <= tail <= 14:
                return f"{n} материала"
            return f"{n} материалов"
        return f"{n} {self['item_count_one'] if n == 1 else self['items_count']}"

    def page_of(self, n: int, total: int) -> str:
        """``Page 2 of 11``."""
        return self["page_of"].format(n=n, total=total)

    def plural(self, vocabulary: str) -> str:
        return self[f"{vocabulary}_plural"]
