from django.core.management.base import BaseCommand

from search.index import rebuild


class Command(BaseCommand):
    help = "Empty the public search index and fill it again from the approved records."

    def handle(self, *args, **options):
        count = rebuild()
        self.stdout.write(self.style.SUCCESS(f"Search index rebuilt: {count} entries."))
