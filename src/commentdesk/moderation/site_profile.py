"""A site's profile as editors keep it (name, policy, disclaimer, site-wide pre-moderation, edit
window: admins change it, its moderators read it), and a story's modes (open or closed,
pre-moderated: its site's moderators change them)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from commentdesk import events
from commentdesk.accounts.models import Account, Role
from commentdesk.errors import PermissionDenied
from commentdesk.moderation.service import require_moderator
from commentdesk.sites.models import Site
from commentdesk.sites.schemas import SiteProfile
from commentdesk.stories.models import Story
from commentdesk.stories.schemas import StoryModes


def site_profile(site: Site, *, viewer: Account) -> SiteProfile:
    require_moderator(viewer, site_id=site.id)
    return SiteProfile(
        name=site.name,
        policy=site.policy_text,
        disclaimer=site.disclaimer_text,
        is_premoderated=site.is_premoderated,
        edit_window_seconds=site.edit_window_seconds,
    )


def update_site_profile(
    session: Session, *, site: Site, profile: SiteProfile, actor: Account
) -> SiteProfile:
    """Replace a site's profile (admins only); readers see the new policy on their next load."""
    if actor.role != Role.ADMIN:
        raise PermissionDenied("Only admins can change a site's profile and policy.")
    site.name = profile.name
    site.policy_text = profile.policy
    site.disclaimer_text = profile.disclaimer
    site.is_premoderated = profile.is_premoderated
    site.edit_window_seconds = profile.edit_window_seconds
    session.flush()
    events.record(session, events.SiteWasChanged(site_id=site.id))
    return profile


def update_story_modes(
    session: Session, *, story: Story, modes: StoryModes, moderator: Account
) -> StoryModes:
    """Close or reopen a story to comments and set its pre-moderation (its site's moderators)."""
    require_moderator(moderator, site_id=story.site_id)
    story.is_closed = modes.is_closed
    story.is_premoderated = modes.is_premoderated
    session.flush()
    events.record(session, events.StoryWasChanged(story_id=story.id))
    return modes
