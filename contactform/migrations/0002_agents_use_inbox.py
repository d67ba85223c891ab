from django.db import migrations

GROUPS = ["Editors", "Moderators"]
PERMISSIONS = {
    "submission": [
        ("view_submission", "Can view contact message"),
        ("change_submission", "Can change contact message"),
    ],
    "contact": [("view_contact", "Can view contact")],
}


def grant(apps, schema_editor):
    """Let Wagtail's default editor groups read the contact inbox and change message status."""
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
    dependencies = [
        ("contactform", "0001_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
