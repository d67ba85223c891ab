from django.db import migrations

GROUPS = ["Editors", "Moderators"]
PERMISSIONS = {
    "articlestats": ("view_articlestats", "Can view article statistics"),
    "articlefeedback": ("view_articlefeedback", "Can view article feedback"),
}


def grant(apps, schema_editor):
    """Let Wagtail's default editor groups see the knowledge-base reports."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = []
    for model, (codename, name) in PERMISSIONS.items():
        content_type, _ = ContentType.objects.get_or_create(app_label="faq", model=model)
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": name}
        )
        permissions.append(permission)
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("faq", "0001_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
