"""What a user of the package index gets: the wheel's contents and the README's links."""

import configparser
import re
import zipfile

from tests import wheel

SETUP = configparser.ConfigParser()
SETUP.read(wheel.REPO / "setup.cfg")
HOME = SETUP["metadata"]["url"]


def write_wheel(path, names):
    with zipfile.ZipFile(path, "w") as archive:
        for name in names:
            archive.writestr(name, "")
    return path


def test_missing_files_lists_exactly_what_the_wheel_lacks(tmp_path):
    required = wheel.required_files()
    lacking = [
        "search/data/stopwords_de.txt",
        "faq/locale/de/LC_MESSAGES/django.mo",
        "contactform/templates/contactform/contact_page.html",
        "search/migrations/0001_initial.py",
    ]
    assert set(lacking) <= set(required)
    assert {f"{app}/py.typed" for app in wheel.APPS} <= set(required)
    partial = write_wheel(tmp_path / "partial.whl", [n for n in required if n not in lacking])
    complete = write_wheel(tmp_path / "complete.whl", required)

    assert wheel.missing_files(partial) == sorted(lacking, key=required.index)
    assert wheel.missing_files(complete) == []


def test_compiled_bytecode_is_not_required(tmp_path):
    cache = tmp_path / "faq" / "__pycache__"
    cache.mkdir(parents=True)
    (cache / "models.cpython-311.pyc").write_bytes(b"")
    (tmp_path / "faq" / "models.py").write_text("")

    assert "faq/models.py" in wheel.required_files(tmp_path)
    assert not [name for name in wheel.required_files(tmp_path) if "__pycache__" in name]


def test_project_urls_point_at_the_home_in_setup_cfg():
    urls = dict(
        line.split(" = ", 1)
        for line in SETUP["metadata"]["project_urls"].strip().splitlines()
    )

    assert set(urls) >= {"Documentation", "Changelog", "Issues"}
    assert all(url.startswith(HOME) for url in urls.values()), urls


def test_readme_links_and_screenshot_work_on_the_package_index():
    """The package index shows README.md away from the repository: links must be absolute,
    and those into the repository must name files that exist."""
    readme = (wheel.REPO / "README.md").read_text()
    targets = re.findall(r"\]\(([^)\s]+)\)", readme)
    raw_home = HOME.replace("https://github.com/", "https://raw.githubusercontent.com/")

    assert targets
    assert [t for t in targets if not t.startswith("https://")] == []
    for target in targets:
        path = re.sub(rf"^({re.escape(HOME)}/blob/main/|{re.escape(raw_home)}/main/)", "", target)
        if path != target:
            assert (wheel.REPO / path.split("#")[0]).is_file(), target
    assert f"{raw_home}/main/docs/images/help-home.png" in targets
