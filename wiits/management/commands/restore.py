"""`manage.py restore [ID]`: the database and the upload storages from a backup (default the
newest), every file checked against the manifest (wiits/backups.py)."""

from django.core.management.base import BaseCommand, CommandError

from wiits import backups


class Command(BaseCommand):
    help = (
        "Restore the database and the uploads from a backup (default: the newest). Refuses a database "
        "that is not empty, or files that differ, unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "backup", nargs="?", help="the backup's id, e.g. wiits-20261207-023000Z (see backup --list)"
        )
        parser.add_argument(
            "--force",
            "--i-know",
            action="store_true",
            dest="force",
            help="replace a database that has tables, and files that differ, with the backup's",
        )

    def handle(self, *args, backup=None, force=False, **options):
        if backup and backup.endswith(backups.MANIFEST_SUFFIX):
            backup = backup.removesuffix(backups.MANIFEST_SUFFIX)
        try:
            restored = backups.restore_backup(backup, force=force, report=lambda line: self.stdout.write(f"  {line}"))
        except backups.RestoreRefused as error:
            raise CommandError(f"Nothing was changed. {error}") from error
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {restored.id} (made {restored.manifest['finished_at']}) in {restored.seconds:.1f} s."
            )
        )
