from django.db import migrations

LABELS = {"submission": "Contact message {}", "contact": "Contact {}"}


def relabel(apps, schema_editor):
    """History entries written before labels were references held names and e-mail addresses."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    ModelLogEntry = apps.get_model("wagtailcore", "ModelLogEntry")
    for model, label in LABELS.items():
        content_type = ContentType.objects.filter(app_label="contactform", model=model).first()
        if content_type is None:
            continue
        entries = ModelLogEntry.objects.filter(content_type=content_type)
        for entry in entries.only("pk", "object_id").iterator():
            ModelLogEntry.objects.filter(pk=entry.pk).update(label=label.format(entry.object_id))


class Migration(migrations.Migration):
    dependencies = [
        ("contactform", "0002_agents_use_inbox"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(relabel, migrations.RunPython.noop)]
