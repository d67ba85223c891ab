from django.db import migrations

GROUPS = ["Editors", "Moderators"]
CODENAMES = [
    ("view_outgoingmail", "Can view outgoing mail"),
    ("change_outgoingmail", "Can change outgoing mail"),
]


def grant(apps, schema_editor):
    """Let Wagtail's default staff groups (who read the contact inbox) see and resend mail."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label="helpcenter", model="outgoingmail")
    permissions = [
        Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": name}
        )[0]
        for codename, name in CODENAMES
    ]
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("helpcenter", "0002_outgoing_mail"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
