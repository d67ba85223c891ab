import pytest

from faq.models import ArticlePage

ARTICLES = {
    "en": [
        ("Frames & nose pads", "How do I replace the nose pads?",
         "Order a set of nose pads in your account and click them onto the pad arms.",
         "Nose pads wear out. Pull the old pad off the metal arm and press the new one on.",
         "pads, spare parts"),
        ("Returns", "How do I return my order and get a refund?",
         "Print the return label in your account; the refund follows within 5 days.",
         "Pack the glasses in the original case. Refunds go back to the original payment.",
         "send back, money"),
        ("Returns", "My glasses are broken - how do I file a complaint?",
         "Send us a photo through the complaint form; under guarantee we repair them free.",
         "Our 2-year guarantee covers material and manufacturing defects.",
         "defect, guarantee"),
        ("Shipping", "Where is my parcel?",
         "Follow the tracking link in your shipping confirmation e-mail.",
         "Parcels travel with DHL and arrive within 2 to 3 working days.",
         "tracking, delivery"),
    ],
    "de": [
        ("Fassungen & Nasenpads", "Wie tausche ich die Nasenpads aus?",
         "Bestellen Sie Ersatz-Nasenpads im Kundenkonto und stecken Sie sie auf.",
         "Die Nasenpads Ihrer Brille nutzen sich ab. Ziehen Sie das alte Pad vom Bügel ab.",
         "Pads, Ersatzteile"),
        ("Rücksendung", "Wie funktioniert die Rückgabe und Erstattung?",
         "Drucken Sie das Rücksendeetikett im Kundenkonto aus; die Erstattung folgt.",
         "Verpacken Sie die Brille im Brillenetui. Das Geld kommt auf Ihr Konto zurück.",
         "Retoure, Geld"),
        ("Rücksendung", "Meine Brille ist kaputt – wie reklamiere ich?",
         "Schicken Sie uns ein Foto über das Reklamationsformular.",
         "Die Garantie von 2 Jahren deckt Material- und Herstellungsfehler.",
         "defekt, Garantie"),
        ("Fassungen & Nasenpads", "Wie reinige ich meine Brille?",
         "Mit lauwarmem Wasser, einem Tropfen Spülmittel und einem Mikrofasertuch.",
         "Bewahren Sie die Brille danach im Etui auf, damit die Gläser nicht verkratzen.",
         "putzen, sauber"),
        ("Versand", "Wo ist mein Paket?",
         "Folgen Sie dem Link zur Sendungsverfolgung in der Versandbestätigung.",
         "Pakete reisen mit DHL und kommen in 2 bis 3 Werktagen an.",
         "Sendungsverfolgung, Lieferung"),
    ],
}


@pytest.fixture
def words_only(settings):
    """Semantic search off: what the lexical search alone does."""
    from search import encoders

    settings.HELPCENTER_SEARCH_SEMANTIC = False
    encoders.reset()
    yield
    encoders.reset()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what happens after commit (index tasks), as it would outside a test transaction."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run


@pytest.fixture
def indexed(help_center, locale_de, make_category, committed):
    """A small help center in English and German, published and indexed."""
    with committed():
        return _build(help_center, locale_de, make_category)


def _build(help_center, locale_de, make_category):
    german_root = help_center.copy_for_translation(locale_de)
    german_root.save_revision().publish()
    german_root.refresh_from_db()
    pages = {}
    for language, root in (("en", help_center), ("de", german_root)):
        categories = {}
        for category, title, short, body, keywords in ARTICLES[language]:
            if category not in categories:
                categories[category] = make_category(category, parent=root)
            article = categories[category].add_child(
                instance=ArticlePage(
                    title=title, short_answer=short, keywords=keywords, locale=root.locale,
                    body=[{"type": "rich_text", "value": f"<p>{body}</p>"}], live=False,
                )
            )
            article.save_revision().publish()
            article.refresh_from_db()
            pages[title] = article
    return pages
