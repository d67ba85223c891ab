"""Data: forum moderators open the review queue in the Wagtail admin, and editors and
moderators manage the watched words."""

from django.db import migrations

WATCHED_WORD_PERMISSIONS = [
    ("add_watchedword", "Can add watched word"),
    ("change_watchedword", "Can change watched word"),
    ("delete_watchedword", "Can delete watched word"),
    ("view_watchedword", "Can view watched word"),
]


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label="community", model="watchedword")
    words = [
        Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": name}
        )[0]
        for codename, name in WATCHED_WORD_PERMISSIONS
    ]
    for group in Group.objects.filter(name__in=["Editors", "Moderators", "Forum moderators"]):
        group.permissions.add(*words)
    admin_type, _ = ContentType.objects.get_or_create(app_label="wagtailadmin", model="admin")
    access_admin = Permission.objects.get_or_create(
        content_type=admin_type, codename="access_admin",
        defaults={"name": "Can access Wagtail admin"},
    )[0]
    for group in Group.objects.filter(name="Forum moderators"):
        group.permissions.add(access_admin)


class Migration(migrations.Migration):
    dependencies = [("community", "0004_moderation")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
