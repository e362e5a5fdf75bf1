"""Single-line fields stored before they refused control characters: line breaks become
spaces, the other control and bidirectional control characters go (common/text.py)."""

from django.db import migrations

from common.text import single_line_data_migration


class Migration(migrations.Migration):
    dependencies = [("reference", "0005_single_line_fields")]

    operations = [
        migrations.RunPython(
            single_line_data_migration("reference", {"sector": ["name"], "sustainabledevelopmentgoal": ["name"], "cooperationtype": ["name"]}),
            migrations.RunPython.noop,
        ),
    ]
