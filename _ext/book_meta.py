"""Sphinx extension: the book's citation, version and home, from one place each.

- **Citation.** ``CITATION.cff`` at the repository root is the single source.
  The intro page holds the marker ``<!-- citation-bibtex -->``; at build time it
  is replaced by a BibTeX entry that cffconvert generates from the file, with
  the version and, when known, the site's address.
- **Version and build date** in every page's footer: the version is
  CITATION.cff's, the date is ``SOURCE_DATE_EPOCH`` when set (reproducible
  builds), else today's date in UTC.
- **Repository.** The GitHub Actions workflow sets ``XENT_REPOSITORY_URL``
  (and ``XENT_SITE_URL``) from its own context, so the repository, issue,
  edit and launch buttons point at the repository the site was built from; a
  local build keeps ``_config.yml``'s address.
"""

import datetime
import os
import pathlib

from sphinx.application import Sphinx

ROOT = pathlib.Path(__file__).resolve().parents[1]
CITATION = ROOT / "CITATION.cff"
BIBTEX_MARKER = "<!-- citation-bibtex -->"
BIBTEX_KEY = "cross_entropy_derived"


def citation_metadata():
    """CITATION.cff as a dictionary (cffconvert validates it in ``make test``)."""
    from ruamel.yaml import YAML

    return YAML(typ="safe").load(CITATION.read_text(encoding="utf-8"))


def build_date():
    """The date of this build: ``SOURCE_DATE_EPOCH`` if set, else today (UTC)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = (datetime.datetime.fromtimestamp(int(epoch), datetime.UTC) if epoch
              else datetime.datetime.now(datetime.UTC))
    return moment.date().isoformat()


def citation_bibtex(site_url=None):
    """The BibTeX entry cffconvert makes of CITATION.cff, with a stable key,
    the version and (when known) the address of the published site."""
    from cffconvert.cli.create_citation import create_citation

    cff = citation_metadata()
    entry = create_citation(str(CITATION), None).as_bibtex().strip()
    entry = entry.replace("{YourReferenceHere,", "{" + BIBTEX_KEY + ",", 1)
    # A group author ("name:" in CFF) must be braced twice, or BibTeX reads the
    # comma in it as "Last, First".
    for author in cff["authors"]:
        if "name" in author:
            entry = entry.replace(f"author = {{{author['name']}}}",
                                  f"author = {{{{{author['name']}}}}}")
    extra = [f"version = {{{cff['version']}}}"]
    if site_url:
        extra.append(f"url = {{{site_url}}}")
    body, closing = entry.rsplit("}", 1)
    return body.rstrip() + ",\n" + ",\n".join(extra) + "\n}" + closing


def insert_citation(app, docname, source):
    """Replace the intro page's marker with the generated BibTeX entry."""
    if BIBTEX_MARKER in source[0]:
        block = "```bibtex\n" + citation_bibtex(os.environ.get("XENT_SITE_URL")) + "\n```"
        source[0] = source[0].replace(BIBTEX_MARKER, block)


def set_repository_and_footer(app, config):
    """Point the buttons at the deploying repository; version and date in the footer."""
    options = config.html_theme_options
    repository = os.environ.get("XENT_REPOSITORY_URL")
    if repository:
        options["repository_url"] = repository
    version = citation_metadata()["version"]
    options["extra_footer"] = (
        f"<p><em>Cross-Entropy, Derived</em>, version {version}, "
        f"built {build_date()}. Text CC BY 4.0, code MIT.</p>")


def setup(app: Sphinx):
    app.connect("config-inited", set_repository_and_footer)
    app.connect("source-read", insert_citation)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
