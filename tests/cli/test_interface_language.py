"""The interface in the reader's language: chosen as GNU programs choose, and correct.

Every test runs the installed command in a clean environment: only the
locale variables a test sets are seen.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import clientocracy
from clientocracy._cli.i18n import interface_language

SCRIPT = shutil.which("clientocracy", path=str(Path(sys.executable).parent))
assert SCRIPT is not None
ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "src" / "clientocracy" / "locale"
LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
RU = {"LANG": "ru_RU.UTF-8"}
FA = {"LANG": "fa_IR.UTF-8"}
PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in LOCALE_VARIABLES}
    full_env = {**clean, "PYTHONIOENCODING": "utf-8", "COLUMNS": "100", **(env or {})}
    return subprocess.run(
        [SCRIPT, *args], capture_output=True, text=True, encoding="utf-8", env=full_env, timeout=60
    )


# -- which language ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, "en"),
        ({"LANG": "ru_RU.UTF-8"}, "ru"),
        ({"LANG": "fa_IR.UTF-8"}, "fa"),
        ({"LANG": "de_DE.UTF-8"}, "en"),
        ({"LANG": "ru_RU.UTF-8", "LC_MESSAGES": "fa_IR.UTF-8"}, "fa"),
        ({"LC_MESSAGES": "fa_IR", "LC_ALL": "ru_RU.UTF-8"}, "ru"),
        ({"LANGUAGE": "fa", "LANG": "ru_RU.UTF-8"}, "fa"),
        ({"LANGUAGE": "de:fr:ru", "LANG": "en_US.UTF-8"}, "ru"),
        ({"LANGUAGE": "en:ru", "LANG": "fa_IR.UTF-8"}, "en"),
        ({"LANGUAGE": "", "LANG": "fa_IR.UTF-8"}, "fa"),
        # As in GNU gettext, the C locale turns LANGUAGE off.
        ({"LANGUAGE": "ru", "LC_ALL": "C"}, "en"),
        ({"LANGUAGE": "ru", "LANG": "C.UTF-8"}, "en"),
        ({"LANGUAGE": "ru"}, "en"),  # no locale set is the C locale
        ({"LANG": "fa_IR@calendar=persian"}, "fa"),
    ],
)
def test_the_language_is_chosen_as_gnu_programs_choose(
    environ: dict[str, str], expected: str
) -> None:
    assert interface_language(environ) == expected


@given(st.dictionaries(st.sampled_from(LOCALE_VARIABLES), st.text(max_size=30)))
def test_any_environment_gives_a_language_the_command_speaks(environ: dict[str, str]) -> None:
    assert interface_language(environ) in ("en", "ru", "fa")


# -- the command in Russian and in Persian -----------------------------------------


def test_help_speaks_russian() -> None:
    result = run("--help", env=RU)
    assert result.returncode == 0
    assert result.stdout.startswith("использование: clientocracy")
    assert "показать истории таблицей" in result.stdout
    assert "фильтры" in run("list", "--help", env=RU).stdout
    # argparse's own words too.
    assert "показать эту справку и выйти" in result.stdout
    assert "usage:" not in result.stdout


def test_help_speaks_persian() -> None:
    result = run("search", "--help", env=FA)
    assert result.returncode == 0
    assert result.stdout.startswith("کاربرد: clientocracy search")
    assert "نحو پرس‌وجو" in result.stdout
    assert "گزینه‌ها" in result.stdout


def test_a_usage_error_speaks_the_interface_language() -> None:
    result = run("list", "--bogus", env=RU)
    assert result.returncode == 2
    assert "ошибка: нераспознанные аргументы: --bogus" in result.stderr
    assert "Справка: «clientocracy --help»." in result.stderr
    unknown = run("list", "--company", "Zapos", env=FA)
    assert unknown.returncode == 2
    assert "شرکت ناشناخته: «Zapos»." in unknown.stderr
    assert "آیا منظورتان «Zappos» بود؟" in unknown.stderr


def test_list_follows_the_interface_unless_in_says_otherwise() -> None:
    russian = run("list", env=RU).stdout.splitlines()
    assert russian[0].split() == ["ID", "КОМПАНИЯ", "ЯЗЫК", "НАЗВАНИЕ"]
    for line, story in zip(russian[1:], clientocracy.stories(), strict=True):
        assert line.endswith(story.title_in("ru"))
        assert story.company.name_in(clientocracy.language("ru")) in line
    english = run("list", "--in", "en", env=RU).stdout.splitlines()
    for line, story in zip(english[1:], clientocracy.stories(), strict=True):
        assert line.endswith(story.title_in("en"))
        assert story.company.name_in(clientocracy.language("en")) in line  # VkusVill


def test_show_in_persian_names_and_lists_in_persian() -> None:
    story = clientocracy.story("zappos-flowers-for-a-mother")
    result = run("show", story.id, env=FA)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == story.title_in("fa")
    facts = dict(re.split(r"\s{2,}", line, maxsplit=1) for line in lines[3:8])
    assert facts["شرکت"] == f"زاپوس ({story.company.id})"
    assert facts["اصول"] == "، ".join(p.name_in("fa") for p in story.principles)
    assert facts["کانال"] == "تلفن"
    assert "منبع" in lines
    # Counts in running text are in Persian digits.
    start = str(story.span.start).translate(PERSIAN_DIGITS)
    assert f"نویسه‌های {start} تا" in " ".join(result.stdout.split())


def test_counts_are_in_persian_digits_and_plurals_are_russian() -> None:
    languages = run("languages", env=FA).stdout
    russian_stories = len(clientocracy.stories(language="ru"))
    assert str(russian_stories).translate(PERSIAN_DIGITS) in languages
    assert "داستان‌ها" in languages.splitlines()[0]
    principles = run("principles", env=RU).stdout
    counts = re.findall(r"\), (\d+) (истори[яий]+)", principles)
    assert counts
    for number, noun in counts:
        n = int(number)
        expected = (
            "история"
            if n % 10 == 1 and n % 100 != 11
            else "истории"
            if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14
            else "историй"
        )
        assert noun == expected, (number, noun)


def test_data_stays_data_whatever_the_interface() -> None:
    for env in (RU, FA):
        data = json.loads(run("list", "--json", env=env).stdout)
        assert [row["id"] for row in data] == list(clientocracy.stories().ids())
        assert run("man", env=env).stdout == run("man").stdout
        assert run("completion", "bash", env=env).stdout == run("completion", "bash").stdout


def test_help_is_still_cheap_in_another_language() -> None:
    code = (
        "import sys\n"
        "from clientocracy._cli.app import main\n"
        "status = main(['--help'])\n"
        "loaded = [m for m in sys.modules if m.startswith('clientocracy._') and "
        "m.split('.')[1] in ('_records', '_corpus', '_catalog', '_stores', '_search')]\n"
        "assert status == 0 and not loaded, loaded\n"
    )
    clean = {k: v for k, v in os.environ.items() if k not in LOCALE_VARIABLES}
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**clean, **RU},
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "использование" in result.stdout


def test_show_parallel_quotes_the_story_as_every_message_does() -> None:
    story = clientocracy.stories(language="ru")[0]
    english = run("show", "--parallel", story.id, "--in", "ru")
    assert english.returncode == 2
    assert f"is the original of {story.id!r}; name another language with --in" in english.stderr
    for env in (RU, FA):
        result = run("show", "--parallel", story.id, "--in", "ru", env=env)
        assert result.returncode == 2
        assert f"«{story.id}»" in result.stderr
        assert repr(story.id) not in result.stderr


def bad_catalog(tmp_path: Path) -> Path:
    """A corpus folder whose catalog has the wrong format and no sections."""
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "catalog.json").write_text('{"format": "x", "version": 2}', encoding="utf-8")
    return folder


def test_library_errors_keep_their_english_text_on_an_english_command_line(
    tmp_path: Path,
) -> None:
    folder = bad_catalog(tmp_path)
    with pytest.raises(clientocracy.CorpusError) as raised:
        clientocracy.load(folder)
    result = run("--corpus", str(folder), "list")
    assert result.returncode == 2
    assert result.stderr == f"clientocracy: error: {raised.value}\n"
    assert "field 'format': expected 'clientocracy-catalog', got 'x'" in result.stderr


def test_an_invalid_corpus_is_reported_in_russian(tmp_path: Path) -> None:
    folder = bad_catalog(tmp_path)
    result = run("validate", str(folder), env=RU)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    # Five sections are missing and the format is wrong: six problems, Russian plural.
    assert lines[0] == "корпус некорректен (6 проблем):"
    assert "поле «format»: ожидалось «clientocracy-catalog», получено «x»" in lines[1]
    assert lines[2].endswith("верхний уровень: нет поля «languages» (списка, возможно пустого)")
    missing = run("--corpus", str(tmp_path / "nowhere"), "list", env=RU)
    assert missing.returncode == 2
    assert "нет такой папки корпуса или файла каталога" in missing.stderr
    assert "(1 проблема)" in missing.stderr


def test_an_invalid_corpus_is_reported_in_persian(tmp_path: Path) -> None:
    not_json = tmp_path / "catalog.json"
    not_json.write_text("hello", encoding="utf-8")
    result = run("--corpus", str(not_json), "list", env=FA)
    assert result.returncode == 2
    assert "پیکره معتبر نیست (۱ مشکل):" in result.stderr
    assert "سطر ۱، ستون ۱: JSON معتبر نیست" in result.stderr
    fake = tmp_path / "fake.sqlite"
    fake.write_bytes(b"not a database")
    refused = run("--corpus", str(fake), "list", env=FA)
    assert "پیکرهٔ کامپایل‌شده نیست (پایگاه دادهٔ SQLite نیست)" in refused.stderr


def test_authoring_errors_speak_the_interface_language(tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    assert run("new", str(folder)).returncode == 0
    company = ("add-company", str(folder), "acme", "--name", "Acme", "--industry", "retail")
    bad_country = run(*company, "--country", "gb", env=RU)
    assert bad_country.returncode == 2
    assert "поле «country»: ожидался код ISO 3166-1 alpha-2" in bad_country.stderr
    assert "получено «gb»" in bad_country.stderr
    text = tmp_path / "blog.txt"
    text.write_text("One rainy evening a customer left her umbrella.\n", encoding="utf-8")
    added = run(*company, "--country", "GB", env=FA)
    assert added.stdout == f"{folder}: شرکت «acme» افزوده شد\n"
    source = ("add-source", str(folder), str(text), "--id", "blog", "--language", "English")
    added = run(*source, "--title", "en", "Blog", "--origin", "Ours.", env=RU)
    # 48 characters, counted in the plural form Russian gives 5 to 20 and 8.
    assert added.stdout == f"{folder}: добавлен источник «blog» (48 символов)\n"
    story = (
        "add-story", str(folder), "umbrella", "--source", "blog", "--company", "Acme",
        "--principle", "small things matter", "--title", "en", "T", "--summary", "en", "S",
    )  # fmt: skip
    absent = run(*story, "--quote", "a sunny morning", env=FA)
    assert absent.returncode == 2
    assert "«a sunny morning» در متن نیست" in absent.stderr
    twice = run(*story, "--quote", "e", env=RU)
    assert "«e» встречается несколько раз" in twice.stderr
    assert "строка 1, столбец" in twice.stderr
    english = run(*story, "--quote", "e")
    assert "'e' occurs" in english.stderr


def parser_texts(language: str) -> dict[tuple[str, ...], str]:
    """Every text of the command line's help in *language*: each command's description,
    epilog and one-line help, each group's title and each argument's help."""
    import argparse

    from clientocracy._cli import i18n
    from clientocracy._cli.parser import build_parser

    i18n.use(language)
    try:
        parser = build_parser()
        commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        texts: dict[tuple[str, ...], str] = {}
        for choice in commands._choices_actions:
            texts[("command", choice.dest)] = str(choice.help)
        for name, command in [("clientocracy", parser), *commands.choices.items()]:
            texts[(name, "description")] = str(command.description)
            texts[(name, "epilog")] = str(command.epilog)
            for index, group in enumerate(command._action_groups):
                texts[(name, "group", str(index))] = str(group.title)
            for action in command._actions:
                if action.help and action.help != argparse.SUPPRESS:
                    key = action.option_strings[-1] if action.option_strings else action.dest
                    texts[(name, key)] = action.help
        return texts
    finally:
        i18n.use(None)


@pytest.mark.parametrize(("language", "letters"), [("ru", "[а-яё]"), ("fa", "[\u0600-\u06ff]")])
def test_the_help_of_every_command_and_option_is_translated(language: str, letters: str) -> None:
    english, translated = parser_texts("en"), parser_texts(language)
    assert english.keys() == translated.keys()
    # Every command and every option, found in the parser: a new one arrives checked.
    assert ("command", "import-csv") in english
    assert ("export", "--partition-by") in english
    untranslated = [
        (key, text)
        for key, text in translated.items()
        if text == english[key] or not re.search(letters, text, re.IGNORECASE)
    ]
    assert not untranslated, untranslated


# -- the catalogs ------------------------------------------------------------------


def catalogs() -> dict[str, object]:
    from babel.messages.pofile import read_po

    found = {}
    for language in ("ru", "fa"):
        with (LOCALE / language / "LC_MESSAGES" / "clientocracy.po").open("rb") as file:
            found[language] = read_po(file, locale=language)
    return found


def test_every_message_of_the_code_is_translated() -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import update_translations
    finally:
        sys.path.pop(0)
    wanted = {message.id for message in update_translations.template() if message.id}
    for language, catalog in catalogs().items():
        have = {m.id: m for m in catalog if m.id}  # type: ignore[attr-defined]
        missing = wanted - set(have)
        assert not missing, (language, missing)
        empty = [key for key, m in have.items() if not m.string or not all(m.string)]
        assert not empty, (language, empty)


def test_the_compiled_catalogs_are_the_sources_compiled() -> None:
    import gettext

    for language, catalog in catalogs().items():
        path = LOCALE / language / "LC_MESSAGES" / "clientocracy.mo"
        with path.open("rb") as file:
            compiled = gettext.GNUTranslations(file)
        for message in catalog:  # type: ignore[attr-defined]
            if not message.id:
                continue
            if isinstance(message.id, tuple):
                plural = gettext.c2py(catalog.plural_expr)  # type: ignore[attr-defined]
                for n in (1, 2, 5, 11, 21, 22):
                    expected = message.string[plural(n)]
                    assert compiled.ngettext(*message.id, n) == expected, (language, message.id)
            else:
                assert compiled.gettext(message.id) == message.string, (language, message.id)


def placeholders(text: str) -> list[str]:
    # A field keeps its conversion and format: {name!r} is quoted, {count:,} grouped.
    return sorted(re.findall(r"\{\w+(?:![rsa])?(?::[^{}]*)?\}|%\(\w+\)[sr]|%s", text))


def test_translations_keep_every_placeholder_and_follow_the_orthography() -> None:
    for language, catalog in catalogs().items():
        for message in catalog:  # type: ignore[attr-defined]
            if not message.id:
                continue
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            for string in strings:
                # A translation may leave a {name} out, but never adds one (it
                # would raise KeyError); printf-style ones must all be there.
                mine, theirs = placeholders(string), placeholders(ids[-1])
                assert set(mine) <= set(theirs), (language, message.id)
                assert [p for p in mine if "%" in p] == [p for p in theirs if "%" in p]
                # No control or bidi-mark characters: the terminal would show them escaped.
                assert not re.search("[\u200e\u200f\u202a-\u202e\u2066-\u2069]", string)
                if language == "fa":
                    # Persian letters, not the Arabic look-alikes (but where the
                    # query syntax names them: «ی/ي»).
                    assert not re.search("(?<!/)[يك]", string), string
                    prose = [
                        line
                        for line in string.splitlines()
                        if not line.startswith("  clientocracy")
                    ]
                    # Persian punctuation in Persian sentences.
                    assert not any(re.search(r"[\u0600-\u06ff][,;?]", line) for line in prose)
                    assert not any(re.search(r"[,;?] ?[\u0600-\u06ff]", line) for line in prose)
                if language == "ru":
                    # Quotes in Russian prose are «ёлочки».
                    prose = [line for line in string.splitlines() if "clientocracy " not in line]
                    assert not any(re.search("[“”„]", line) for line in prose), string


def test_persian_and_russian_lines_use_their_own_commas_and_decimal_separators(
    tmp_path: Path,
) -> None:
    principles = run("principles", env=FA).stdout.splitlines()
    # Two stories are tagged clientocracy (docs/dataset-card.md).
    assert principles[0] == "مشتری‌سالاری (clientocracy)، ۲ داستان"
    parallel = run("show", "--parallel", "sainsburys-giraffe-bread", env=FA).stdout
    assert "ترجمه: انگلیسی، ۹ بخش" in parallel
    folder = tmp_path / "corpus"
    assert run("new", str(folder)).returncode == 0
    built = {
        language: run("build", str(folder), "-o", str(tmp_path / f"{language}.sqlite"), env=env)
        for language, env in (("fa", FA), ("ru", {"LANG": "ru_RU.UTF-8"}))
    }
    assert re.search(r"، کامپایل در [۰-۹]+٫[۰-۹] ثانیه$", built["fa"].stdout.strip())
    assert re.search(r", скомпилировано за \d+,\d с$", built["ru"].stdout.strip())


def test_lists_inside_a_persian_problem_use_persian_commas(tmp_path: Path) -> None:
    catalog = json.loads(
        Path(clientocracy.__file__).with_name("data").joinpath("catalog.json").read_text("utf-8")
    )
    catalog["stories"][0]["channel"] = "pigeon"
    catalog["stories"][1]["mood"] = "glad"
    folder = tmp_path / "corpus"
    shutil.copytree(Path(clientocracy.__file__).with_name("data") / "texts", folder / "texts")
    (folder / "catalog.json").write_text(json.dumps(catalog, ensure_ascii=False), "utf-8")
    english = run("validate", str(folder)).stdout
    assert "expected one of social-media, phone, letter, message, in-person" in english
    assert "expected id, source, span, company, principles, title, summary, channel" in english
    persian = run("validate", str(folder), env=FA)
    assert persian.returncode == 1
    problems = [line for line in persian.stdout.splitlines() if "channel" in line or "mood" in line]
    assert len(problems) == 2
    for line in problems:
        assert "، " in line
        assert ", " not in line


def test_language_tags_listed_in_a_problem_are_quoted_as_the_interface_quotes(
    tmp_path: Path,
) -> None:
    data = Path(clientocracy.__file__).with_name("data")
    catalog = json.loads((data / "catalog.json").read_text("utf-8"))
    del catalog["stories"][0]["title"]["en"]
    folder = tmp_path / "corpus"
    shutil.copytree(data / "texts", folder / "texts")
    (folder / "catalog.json").write_text(json.dumps(catalog, ensure_ascii=False), "utf-8")
    assert "field 'title': needs a text in 'en'" in run("validate", str(folder)).stdout
    assert "поле «title»: нужен текст на «en»" in run("validate", str(folder), env=RU).stdout
