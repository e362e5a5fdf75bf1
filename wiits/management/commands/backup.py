"""`manage.py backup`: the database and every upload storage into the backup storage, a
manifest, then the retention (wiits/backups.py; README "Backups and restore")."""

from django.core.management.base import BaseCommand, CommandError

from wiits import backups


class Command(BaseCommand):
    help = "Back up the database and the uploads (public and private) with a manifest, then prune old backups."

    def add_arguments(self, parser):
        parser.add_argument(
            "--encrypt-to",
            metavar="RECIPIENT",
            help="encrypt to this GPG key (default BACKUP_GPG_RECIPIENT; '' for no encryption)",
        )
        parser.add_argument("--no-prune", action="store_true", help="keep every older backup this time")
        parser.add_argument("--list", action="store_true", help="list the backups in the backup storage and stop")

    def handle(self, *args, encrypt_to=None, no_prune=False, list=False, **options):
        storage = backups.backup_storage()
        if list:
            for name, entry in backups.stored_backups(storage).items():
                state = "finished" if entry["complete"] else "unfinished"
                self.stdout.write(f"{name}  {state}  {len(entry['files'])} files")
            return
        try:
            backup = backups.create_backup(encrypt_to=encrypt_to, prune=not no_prune)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Backup {backup.id} in {backups.describe_storage(storage)}:")
        for entry in backup.manifest["files"]:
            self.stdout.write(f"  {entry['name']}  {entry['size']} bytes  sha256 {entry['sha256'][:16]}…")
        tables = backup.manifest["database"]["tables"]
        uploads = sum(len(content["files"]) for content in backup.manifest["uploads"].values())
        self.stdout.write(
            f"  {len(tables)} tables, {sum(tables.values())} rows; {uploads} uploaded files; "
            f"{backup.size} bytes in {backup.seconds:.1f} s"
            + (f"; encrypted to {backup.manifest['encrypted_to']}" if backup.manifest["encrypted_to"] else "")
        )
        if backup.deleted:
            self.stdout.write(f"  pruned: {', '.join(backup.deleted)}")
        self.stdout.write(self.style.SUCCESS(f"Backup {backup.id} finished."))
