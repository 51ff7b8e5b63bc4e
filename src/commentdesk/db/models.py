"""Imports every table module so metadata is complete (for Alembic and tests)."""

from commentdesk.accounts import models as accounts_models
from commentdesk.comments import models as comments_models
from commentdesk.db.base import Base
from commentdesk.follows import models as follows_models
from commentdesk.moderation import models as moderation_models
from commentdesk.scoring import models as scoring_models
from commentdesk.sites import models as sites_models
from commentdesk.stories import models as stories_models

__all__ = [
    "Base",
    "accounts_models",
    "comments_models",
    "follows_models",
    "moderation_models",
    "scoring_models",
    "sites_models",
    "stories_models",
]
