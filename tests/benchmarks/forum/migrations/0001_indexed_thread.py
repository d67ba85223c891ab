import wagtail.search.index
from django.db import migrations


class Migration(migrations.Migration):
    initial = True

    dependencies = [("community", "0001_initial")]

    operations = [
        migrations.CreateModel(
            name="IndexedThread",
            fields=[],
            options={"proxy": True, "indexes": [], "constraints": []},
            bases=(wagtail.search.index.Indexed, "community.thread"),
        ),
    ]
