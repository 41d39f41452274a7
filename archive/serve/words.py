"""The curation app's words in English, Russian and Tajik (the site's, where it has them)."""

from __future__ import annotations

from archive.export.i18n import LANGUAGES, NATIVE_NAMES, STRINGS
from catalog.models import SUBJECT_FIELDS

# Tajik from ../shared/tajik-ui.md where it has the word (✔ standard, ~ to confirm with a
# speaker); words marked "~ app" are not in that table yet: a speaker should confirm them.
APP: dict[str, dict[str, str]] = {
    "app": {"en": "Archive curation", "ru": "Описание архива", "tg": "Тавсифи бойгонӣ"},  # ~ app
    "title": {"en": "Title", "ru": "Название", "tg": "Ном"},  # ~
    "save": {"en": "Save", "ru": "Сохранить", "tg": "Захира кардан"},  # ✔
    "cancel": {"en": "Cancel", "ru": "Отмена", "tg": "Бекор кардан"},  # ✔
    "edit": {"en": "Edit", "ru": "Редактировать", "tg": "Таҳрир"},  # ✔
    "undo": {"en": "Undo", "ru": "Отменить", "tg": "Бекор кардани амал"},  # ~
    "history": {"en": "History", "ru": "История", "tg": "Таърих"},  # ✔
    "consent": {"en": "Consent", "ru": "Согласие", "tg": "Розигӣ"},  # ✔
    "consent_public": {"en": "public", "ru": "публично", "tg": "оммавӣ"},  # ~
    "consent_internal": {"en": "internal only", "ru": "только внутри", "tg": "танҳо дохилӣ"},
    "consent_withheld": {"en": "withheld", "ru": "не дано", "tg": "дода нашудааст"},  # ~
    "consent_by": {"en": "Who agreed", "ru": "Кто дал согласие", "tg": "Кӣ розигӣ дод"},  # ~ app
    "consent_date": {"en": "When", "ru": "Когда", "tg": "Кай"},  # ~ app
    "consent_note": {"en": "Note", "ru": "Примечание", "tg": "Эзоҳ"},  # ~ app
    "to_do": {"en": "Still to do", "ru": "Осталось сделать", "tg": "Корҳои боқимонда"},  # ✔
    "missing": {
        "en": "Not yet translated",
        "ru": "Ещё не переведено",
        "tg": "Ҳоло тарҷума нашудааст",
    },  # ✔
    "conflicts": {"en": "Conflicts", "ru": "Конфликты", "tg": "Ихтилофҳо"},  # ~ app
    "take": {"en": "Take this one", "ru": "Взять это", "tg": "Инро гирифтан"},  # ~ app
    "yours": {"en": "Your value", "ru": "Ваше значение", "tg": "Қимати шумо"},  # ~ app
    "theirs": {
        "en": "Saved meanwhile",
        "ru": "Сохранено тем временем",
        "tg": "Дар ин миён захира шуд",
    },  # ~ app
    "stale": {
        "en": "Someone else saved this item first. Choose, field by field, which value to keep.",
        "ru": "Кто-то другой сохранил этот материал раньше. Выберите, какое значение оставить.",
        "tg": "Каси дигар ин маводро пеш захира кард. Интихоб кунед, ки кадом қиматро нигоҳ доред.",
    },  # ~ app
    "publish": {"en": "Publish", "ru": "Опубликовать", "tg": "Нашр кардан"},  # ~ app
    "preview": {"en": "Public page", "ru": "Публичная страница", "tg": "Саҳифаи оммавӣ"},  # ~ app
    "not_shown": {
        "en": "Not shown on the site: consent is {consent}.",
        "ru": "Не показывается на сайте: согласие — {consent}.",
        "tg": "Дар сомона нишон дода намешавад: розигӣ — {consent}.",
    },  # ~ app
    "chapters": {"en": "Chapters", "ru": "Главы", "tg": "Марҳилаҳои кор дар ин видео"},  # ✔
    "mark": {"en": "Mark here", "ru": "Отметить здесь", "tg": "Ин ҷо қайд кардан"},  # ~ app
    "add_chapter": {"en": "Add chapter", "ru": "Добавить главу", "tg": "Илова кардан"},  # ~ app
    "start": {"en": "Start", "ru": "Начало", "tg": "Оғоз"},  # ~ app
    "end": {"en": "End", "ru": "Конец", "tg": "Анҷом"},  # ~ app
    "caption": {"en": "Caption", "ru": "Подпись", "tg": "Матн"},  # ~ app
    "your_name": {"en": "Your name", "ru": "Ваше имя", "tg": "Номи шумо"},  # ~ app
    "saved": {"en": "Saved.", "ru": "Сохранено.", "tg": "Захира шуд."},  # ~ app
    "saving": {"en": "Saving…", "ru": "Сохранение…", "tg": "Захира шуда истодааст…"},  # ~ app
    "waiting_lock": {
        "en": "Waiting for the archive lock (another command is writing)…",
        "ru": "Ждём, пока другая команда закончит запись в архив…",
        "tg": "Интизори анҷоми фармони дигар дар бойгонӣ…",
    },  # ~ app
    "selected": {"en": "selected", "ru": "выбрано", "tg": "интихоб шуд"},  # ~ app
    "apply": {
        "en": "Apply to selected",
        "ru": "Применить к выбранным",
        "tg": "Ба интихобшудаҳо татбиқ кардан",
    },  # ~ app
    "field": {"en": "Field", "ru": "Поле", "tg": "Майдон"},  # ~ app
    "value": {"en": "Value", "ru": "Значение", "tg": "Қимат"},  # ~ app
    "who": {"en": "Who", "ru": "Кто", "tg": "Кӣ"},  # ~ app
    "when": {"en": "When", "ru": "Когда", "tg": "Кай"},  # ~ app
    "from_where": {"en": "From", "ru": "Откуда", "tg": "Аз куҷо"},  # ~ app
    "open_item": {"en": "Open", "ru": "Открыть", "tg": "Кушодан"},  # ~ app
    "next_item": {"en": "Next item", "ru": "Следующий материал", "tg": "Маводи баъдӣ"},  # ~ app
    "nothing_to_do": {
        "en": "Nothing left to do.",
        "ru": "Всё сделано.",
        "tg": "Ҳамааш анҷом шуд.",
    },  # ~ app
    "no_conflicts": {
        "en": "No conflicts.",
        "ru": "Конфликтов нет.",
        "tg": "Ихтилоф нест.",
    },  # ~ app
    "publish_not_set": {
        "en": "Publishing is not set up: start with --site FOLDER "
        "or set [serve] site in archive.toml.",
        "ru": "Публикация не настроена: запустите с --site ПАПКА "
        "или задайте [serve] site в archive.toml.",
        "tg": "Нашр танзим нашудааст: бо --site ПАПКА оғоз кунед "
        "ё [serve] site-ро дар archive.toml нависед.",
    },  # ~ app
    "zoom": {"en": "Zoom", "ru": "Увеличить", "tg": "Калонтар дидан"},  # ✔ (enlarge)
    "suggestions": {"en": "Suggestions", "ru": "Варианты", "tg": "Пешниҳодҳо"},  # ~ app
    "remove": {"en": "Remove", "ru": "Убрать", "tg": "Хориҷ кардан"},  # ~ app
    "items_nav": {"en": "Items", "ru": "Материалы", "tg": "Мавод"},  # ~
    "collections": {"en": "Collections", "ru": "Коллекции", "tg": "Маҷмӯаҳо"},  # ✔
}
WORDS: tuple[str, ...] = (
    "search", "search_label", "search_button", "filters", "language", "previous", "next",
    "photo", "video", "kind", "maker", "photographer", "date_taken", *SUBJECT_FIELDS,
    "event", "keywords", "rights", "description",
    "results_heading", "no_results", "close", "skip",
)  # fmt: skip
TEXT_LANGUAGES: tuple[str, ...] = ("en", "ru", "tg", "et")


def words(lang: str) -> dict[str, str]:
    """Every word of the app in ``lang`` (English for a language the app does not know)."""
    lang = lang if lang in LANGUAGES else "en"
    found = {name: STRINGS[name][lang] for name in WORDS if name in STRINGS}
    found.update({name: texts[lang] for name, texts in APP.items()})
    return found


def language(value: str | None) -> str:
    return value if value in LANGUAGES else "en"


__all__ = ["LANGUAGES", "NATIVE_NAMES", "TEXT_LANGUAGES", "language", "words"]
