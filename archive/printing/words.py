"""The words printed on the calendar and the catalogue, in English, Russian and Tajik.

Tajik words come from shared/tajik-ui.md; the mark after each says how sure we are:
✔ standard usage, ~ a good choice to confirm with a speaker.
"""

from __future__ import annotations

from dataclasses import dataclass

LANGUAGES: tuple[str, ...] = ("en", "ru", "tg")

MONTHS: dict[str, tuple[str, ...]] = {
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
    "ru": (
        "Январь",
        "Февраль",
        "Март",
        "Апрель",
        "Май",
        "Июнь",
        "Июль",
        "Август",
        "Сентябрь",
        "Октябрь",
        "Ноябрь",
        "Декабрь",
    ),
    # ✔ tajik-ui.md "months"
    "tg": (
        "Январ",
        "Феврал",
        "Март",
        "Апрел",
        "Май",
        "Июн",
        "Июл",
        "Август",
        "Сентябр",
        "Октябр",
        "Ноябр",
        "Декабр",
    ),
}

# Monday first, as calendars are printed in Tajikistan, Russia and Estonia.
WEEKDAYS: dict[str, tuple[str, ...]] = {
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "ru": ("Понедельник", "Вторник", "Среда", "Четверг", "Пятница", "Суббота", "Воскресенье"),
    # ✔ tajik-ui.md "weekdays"
    "tg": ("Душанбе", "Сешанбе", "Чоршанбе", "Панҷшанбе", "Ҷумъа", "Шанбе", "Якшанбе"),
}
WEEKDAYS_SHORT: dict[str, tuple[str, ...]] = {
    "en": ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"),
    "ru": ("Пн", "Вт", "Ср", "Чт", "Пт", "Сб", "Вс"),
    "tg": ("Дш", "Сш", "Чш", "Пш", "Ҷм", "Шб", "Яш"),  # ~ tajik-ui.md "weekdays_short"
}

STRINGS: dict[str, dict[str, str]] = {
    "calendar": {"en": "Calendar", "ru": "Календарь", "tg": "Тақвим"},  # ✔
    "catalogue": {"en": "Craft catalogue", "ru": "Каталог изделий", "tg": "Феҳристи ҳунарҳо"},  # ~
    "maker": {"en": "Maker", "ru": "Мастер", "tg": "Ҳунарманд"},  # ✔
    "photographer": {"en": "Photo", "ru": "Фото", "tg": "Суратгир"},  # ✔
    "place": {"en": "Place", "ru": "Место", "tg": "Ҷой"},  # ✔
    "technique": {"en": "Technique", "ru": "Техника", "tg": "Усул"},  # ✔
    "material": {"en": "Material", "ru": "Материал", "tg": "Ашёи хом"},  # ~
    "dimensions": {"en": "Dimensions", "ru": "Размеры", "tg": "Андоза"},  # ✔
    "price": {"en": "Price", "ru": "Цена", "tg": "Нарх"},  # ✔
    "price_list": {"en": "Price list", "ru": "Прейскурант", "tg": "Нархнома"},  # ~
    "available": {"en": "In stock", "ru": "В наличии", "tg": "Мавҷуд"},  # ~
    "title": {"en": "Item", "ru": "Изделие", "tg": "Ном"},  # ~ ("Ном", tajik-ui.md "title")
    "key": {"en": "Catalogue key", "ru": "Шифр в каталоге", "tg": "Рамзи феҳрист"},  # ~
    "holidays": {"en": "Public holidays", "ru": "Праздники", "tg": "Рӯзҳои ид"},  # ~
}


@dataclass(frozen=True)
class PrintWords:
    """The printed words of one language: ``words["price"]``, ``words.month(3)``."""

    lang: str

    def __getitem__(self, name: str) -> str:
        return STRINGS[name][self.lang]

    def month(self, number: int) -> str:
        return MONTHS[self.lang][number - 1]

    def weekdays(self) -> tuple[str, ...]:
        return WEEKDAYS[self.lang]

    def weekdays_short(self) -> tuple[str, ...]:
        return WEEKDAYS_SHORT[self.lang]
