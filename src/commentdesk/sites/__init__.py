"""Sites: the publications that embed Commentdesk, their origins, policy and moderation settings."""
