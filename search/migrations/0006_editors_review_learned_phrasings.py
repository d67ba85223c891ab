from django.db import migrations

GROUPS = ["Editors", "Moderators"]
PERMISSIONS = [
    ("view_learnedphrasing", "Can view learned phrasing"),
    ("change_learnedphrasing", "Can change learned phrasing"),
    ("delete_learnedphrasing", "Can delete learned phrasing"),
]


def grant(apps, schema_editor):
    """Let Wagtail's default editor groups review learned phrasings (nobody adds one)."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(
        app_label="search", model="learnedphrasing"
    )
    permissions = [
        Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": name}
        )[0]
        for codename, name in PERMISSIONS
    ]
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [("search", "0005_learned_phrasings")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
