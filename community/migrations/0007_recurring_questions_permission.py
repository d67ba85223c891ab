from django.db import migrations

PERMISSION = ("view_recurring_questions", "Can see the recurring forum questions")


def grant(apps, schema_editor):
    """Wagtail's Editors and Moderators and the Forum moderators see the recurring questions
    report (Reports menu)."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label="community", model="thread")
    permission = Permission.objects.get_or_create(
        content_type=content_type, codename=PERMISSION[0], defaults={"name": PERMISSION[1]}
    )[0]
    for group in Group.objects.filter(name__in=["Editors", "Moderators", "Forum moderators"]):
        group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0006_thread_actions_and_promotion"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
