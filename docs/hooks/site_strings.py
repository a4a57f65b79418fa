"""The interface words of the generated stories pages, in each page's language.

One table, so that a reader of Russian or Persian can check every label in
one place. Values may hold `{name}` fields, filled in with str.format.
"""

from __future__ import annotations

LANGUAGES = ("en", "ru", "fa")

STRINGS: dict[str, dict[str, str]] = {
    "stories_title": {"en": "The stories", "ru": "Истории", "fa": "داستان‌ها"},
    "intro": {
        "en": "Every story of the bundled dataset, generated from the package's data when "
        "this site is built. Each has a summary, then the story itself in English; the "
        "original and the other translation are a click away, and the original and a "
        "translation can be read side by side, segment by segment.",
        "ru": "Здесь собраны все истории набора данных; страница создаётся из данных "
        "пакета при сборке сайта. У каждой истории есть краткое содержание, а за ним — "
        "сам рассказ по-русски; оригинал и другой перевод открываются одним нажатием, "
        "а оригинал и перевод можно читать рядом, фрагмент за фрагментом.",
        "fa": "این صفحه همهٔ داستان‌های مجموعه‌داده را نشان می‌دهد؛ داستان‌ها "
        "هنگام ساخته شدن سایت از داده‌های بسته برداشته می‌شوند. هر داستان "
        "خلاصه‌ای دارد و پس از آن متن خود داستان به فارسی می‌آید؛ متن اصلی و "
        "ترجمهٔ دیگر با یک کلیک در دسترس‌اند و متن اصلی و ترجمه را می‌توان "
        "بخش‌به‌بخش کنار هم خواند.",
    },
    "language": {"en": "Language", "ru": "Язык", "fa": "زبان"},
    "summary": {"en": "Summary", "ru": "Краткое содержание", "fa": "خلاصه"},
    "company": {"en": "Company", "ru": "Компания", "fa": "شرکت"},
    "told_in": {"en": "Told in", "ru": "Язык оригинала", "fa": "زبان اصلی"},
    "principles": {"en": "Principles", "ru": "Принципы", "fa": "اصول"},
    "principle": {"en": "Principle", "ru": "Принцип", "fa": "اصل"},
    "companies": {"en": "Companies", "ru": "Компании", "fa": "شرکت‌ها"},
    "id": {"en": "Id", "ru": "Идентификатор", "fa": "شناسه"},
    "original": {"en": "original", "ru": "оригинал", "fa": "متن اصلی"},
    "translation": {"en": "translation", "ru": "перевод", "fa": "ترجمه"},
    "read_in": {"en": "Read in", "ru": "Читать", "fa": "خواندن به"},
    "original_title": {
        "en": "Original title",
        "ru": "Название в оригинале",
        "fa": "عنوان اصلی",
    },
    "segment": {"en": "No.", "ru": "№", "fa": "شماره"},
    "translated_from": {
        "en": "Translated from {language}. Translator: {translator}.",
        "ru": "Перевод с {language}. Переводчик: {translator}.",
        "fa": "ترجمه از {language}. مترجم: {translator}.",
    },
    "browse": {
        "en": "By principle, company and language",
        "ru": "По принципам, компаниям и языкам",
        "fa": "بر پایهٔ اصل، شرکت و زبان",
    },
    "all": {"en": "All", "ru": "Все", "fa": "همه"},
    "shown": {
        "en": "Showing {shown} of {total} stories.",
        "ru": "Показано историй: {shown} из {total}.",
        "fa": "{shown} داستان از {total} داستان نمایش داده شده است.",
    },
    "clear": {"en": "Show all", "ru": "Показать все", "fa": "نمایش همه"},
    "filter": {
        "en": "Filter the stories",
        "ru": "Фильтр историй",
        "fa": "فیلتر کردن داستان‌ها",
    },
    "names": {"en": "Names", "ru": "Названия", "fa": "نام‌ها"},
    "stories": {"en": "Stories", "ru": "Истории", "fa": "داستان‌ها"},
    "all_stories": {"en": "All stories", "ru": "Все истории", "fa": "همهٔ داستان‌ها"},
    "principle_title": {
        "en": "Principle: {name}",
        "ru": "Принцип «{name}»",
        "fa": "اصل «{name}»",
    },
    "company_title": {
        "en": "Stories of {name}",
        "ru": "Истории о компании {name}",
        "fa": "داستان‌های {name}",
    },
}

# The languages' names in each page's language ("ru" and "fa" as a Russian or
# a Persian sentence names them), and in Russian the genitive that
# "Перевод с …" takes.
LANGUAGE_NAMES: dict[str, dict[str, str]] = {
    "en": {"en": "English", "ru": "Russian", "fa": "Persian"},
    "ru": {"en": "английский", "ru": "русский", "fa": "персидский"},
    "fa": {"en": "انگلیسی", "ru": "روسی", "fa": "فارسی"},
}
LANGUAGE_FROM: dict[str, dict[str, str]] = {
    "en": LANGUAGE_NAMES["en"],
    "ru": {"en": "английского", "ru": "русского", "fa": "персидского"},
    "fa": LANGUAGE_NAMES["fa"],
}
# The switcher names each language in itself.
SELF_NAMES = {"en": "English", "ru": "Русский", "fa": "فارسی"}

_PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def text(key: str, language: str, /, **fields: object) -> str:
    """The label *key* in *language*, with its fields filled in."""
    value = STRINGS[key][language]
    if not fields:
        return value
    return value.format(**{k: number(v, language) for k, v in fields.items()})


def number(value: object, language: str) -> str:
    """*value* as text, with Persian digits on a Persian page."""
    shown = str(value)
    return (
        shown.translate(_PERSIAN_DIGITS) if language == "fa" and isinstance(value, int) else shown
    )
