"""What a run of the demo built or found, and the illustrations it drew."""

from dataclasses import dataclass, field

from wagtail.models import Collection, GroupCollectionPermission

from cms.models import HomePage, MarketIndexPage, MarketPage, SolidarityProjectPage
from markets.models import Organiser
from markets.services import organiser_workspace_ensure
from vendors.models import Vendor

from .images import generated_image


@dataclass
class DemoResult:
    home: HomePage
    organisers: dict[str, Organiser] = field(default_factory=dict)
    indexes: dict[str, MarketIndexPage] = field(default_factory=dict)
    projects: dict[str, SolidarityProjectPage] = field(default_factory=dict)
    markets: dict[str, MarketPage] = field(default_factory=dict)
    vendors: dict[str, Vendor] = field(default_factory=dict)
    # Slugs of the markets whose dates this run moved to follow today.
    moved_markets: set[str] = field(default_factory=set)
    images_created: int = 0
    # Each organiser's image collection, opened to its group by `organiser_workspace_ensure`;
    # looked up when this run first draws an image for the organiser.
    _collections: dict[str, Collection] = field(default_factory=dict)

    def organiser_collection(self, slug: str) -> Collection:
        if slug not in self._collections:
            group = organiser_workspace_ensure(
                organiser=self.organisers[slug], index_page=self.indexes[slug])
            self._collections[slug] = (
                GroupCollectionPermission.objects.filter(group=group)
                .select_related("collection").first().collection
            )
        return self._collections[slug]

    def illustration(self, collection: Collection, **options):
        self.images_created += 1
        return generated_image(collection=collection, **options)

    def logo(self, name: str, slug: str, collection: Collection):
        return self.illustration(
            collection, title=f"Logo · {name}", initial=name, label=name,
            family="livres-culture", file_name=f"logo-{slug}.png", size=(400, 400),
        )
