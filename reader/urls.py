from django.urls import path, register_converter
from django.views.decorators.http import require_safe

from reader import citations, translations, views
from reader.caching import cached_public_page
from reader.feeds import LatestPublicFeed

app_name = "reader"


class CitationFormatConverter:
    """The extension of a citation file: bib, ris or json (reader.citations.FORMATS)."""

    regex = "|".join(citations.FORMATS)

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(CitationFormatConverter, "citation_format")

urlpatterns = [
    path("", views.home, name="home"),
    path("contradictions/", views.contradiction_list, name="contradictions"),
    path("contradictions/<slug:slug>.json", views.contradiction_data, name="contradiction_json"),
    path("contradictions/<slug:slug>/", views.contradiction, name="contradiction"),
    path(
        "contradictions/<slug:slug>/cite.<citation_format:extension>",
        views.contradiction_citation,
        name="contradiction_citation",
    ),
    path("claims/<int:pk>/cite.<citation_format:extension>", views.claim_citation, name="claim_citation"),
    path("questions/<slug:slug>/cite.<citation_format:extension>", views.question_citation, name="question_citation"),
    path("embed/contradictions/<slug:slug>/", views.embed_contradiction, name="embed_contradiction"),
    path("oembed", views.oembed, name="oembed"),
    path("questions/", views.question_list, name="questions"),
    path("questions/<slug:slug>.json", views.question_data, name="question_json"),
    path("questions/<slug:slug>/", views.question, name="question"),
    path("actors/<slug:slug>.json", views.actor_data, name="actor_json"),
    path("actors/<slug:slug>/", views.actor, name="actor"),
    path("changes/", views.changes, name="changes"),
    path("sources/<int:pk>/", views.source, name="source"),
    path("sources/<int:source_pk>/captures/<int:pk>.warc.gz", views.capture, name="capture"),
    path("sources/<int:source_pk>/captures/<int:pk>.html", views.capture_body, name="capture_body"),
    path("search/", views.search, name="search"),
    path("translations/language/", translations.choose_preference, name="translation_preference"),
    path("feed/", require_safe(cached_public_page(LatestPublicFeed(), shared=True)), name="feed"),
]
