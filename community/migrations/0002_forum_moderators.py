from django.db import migrations

FORUM_MODERATORS = "Forum moderators"
BOARD_PERMISSIONS = [
    ("add_board", "Can add board"),
    ("change_board", "Can change board"),
    ("delete_board", "Can delete board"),
    ("view_board", "Can view board"),
]
MODERATE = ("moderate_forum", "Can moderate the community forum")


def grant(apps, schema_editor):
    """Wagtail's editor groups manage boards; Moderators and a new "Forum moderators" group
    (members of the community without admin access) moderate the forum."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def permission(model, codename, name):
        content_type, _ = ContentType.objects.get_or_create(app_label="community", model=model)
        return Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": name}
        )[0]

    boards = [permission("board", codename, name) for codename, name in BOARD_PERMISSIONS]
    moderate = permission("thread", *MODERATE)
    for group in Group.objects.filter(name__in=["Editors", "Moderators"]):
        group.permissions.add(*boards)
    for group in Group.objects.filter(name="Moderators"):
        group.permissions.add(moderate)
    Group.objects.get_or_create(name=FORUM_MODERATORS)[0].permissions.add(moderate)


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0001_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
