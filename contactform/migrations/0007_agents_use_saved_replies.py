from django.db import migrations

GROUPS = ["Editors", "Moderators"]
PERMISSIONS = {
    "savedreply": [
        ("add_savedreply", "Can add saved reply"),
        ("change_savedreply", "Can change saved reply"),
        ("delete_savedreply", "Can delete saved reply"),
        ("view_savedreply", "Can view saved reply"),
    ],
    "contact": [("change_contact", "Can change contact")],
}


def grant(apps, schema_editor):
    """Let Wagtail's default editor groups keep saved replies and merge contacts."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = []
    for model, codenames in PERMISSIONS.items():
        content_type, _ = ContentType.objects.get_or_create(app_label="contactform", model=model)
        for codename, name in codenames:
            permission, _ = Permission.objects.get_or_create(
                content_type=content_type, codename=codename, defaults={"name": name}
            )
            permissions.append(permission)
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [("contactform", "0006_agent_replies")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
