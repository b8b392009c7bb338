namespace Dagen.Grains.Slack;

/// <summary>What a person should do about an error Slack answered with, in one sentence for a log line.</summary>
public static class SlackFixes
{
    /// <summary>Our own error code for a channel whose bot token is missing when a call is due.</summary>
    public const string NoBotToken = "no_bot_token";

    /// <summary>The fix for a Web API error.</summary>
    public static string ForWebApi(string? error, string? neededScope = null) => error switch
    {
        "missing_scope" => $"Add the bot token scope '{neededScope ?? "chat:write"}' in the Slack app under OAuth & "
            + "Permissions, reinstall the app to the workspace, then paste the Bot User OAuth Token into the channel's "
            + "settings again.",
        "not_in_channel" => "Invite the bot to that Slack channel: type /invite @Dagen in it.",
        "channel_not_found" => "Slack cannot find that channel for this bot: for a private channel type /invite @Dagen "
            + "in it; otherwise check that the channel still exists and belongs to the bot's workspace.",
        "invalid_auth" or "not_authed" => "The bot token is not valid: re-copy the Bot User OAuth Token (xoxb-…) "
            + "from the Slack app's OAuth & Permissions page into the channel's settings.",
        "token_revoked" or "account_inactive" => "The bot token was revoked (the app was removed or reinstalled): "
            + "reinstall the app to the workspace and paste the new Bot User OAuth Token into the channel's settings.",
        "is_archived" => "The Slack channel is archived: unarchive it, or mention the bot in another channel.",
        "msg_too_long" => "The message was too long for Slack; this should not happen, please report it.",
        "message_not_found" => "The message to react to or update no longer exists; nothing to do.",
        "ratelimited" => "Slack kept rate-limiting this channel; the message was dropped. Fewer messages at once help.",
        NoBotToken => "Add the Bot User OAuth Token (xoxb-…) to the channel in Workflow Settings → Notification "
            + "Channels.",
        _ => $"Slack answered '{error}'; look the code up in Slack's Web API documentation of the method.",
    };

    /// <summary>The fix for an Incoming Webhook error (the text Slack answered with).</summary>
    public static string ForWebhook(string? error) => error switch
    {
        "no_service" or "invalid_token" => "The webhook URL was revoked or its app removed: add a new Incoming "
            + "Webhook in the Slack app and paste its URL into the channel's settings.",
        "channel_not_found" => "The webhook's Slack channel no longer exists: add a new Incoming Webhook for an "
            + "existing channel and paste its URL into the channel's settings.",
        "channel_is_archived" => "The webhook's Slack channel is archived: unarchive it, or add a webhook for another "
            + "channel and paste its URL into the channel's settings.",
        "action_prohibited" => "A Slack admin restricted posting in the webhook's channel: ask an admin to allow "
            + "the app, or use a webhook for another channel.",
        "posting_to_general_channel_denied" => "Only admins may post in that channel: use a webhook for another "
            + "channel.",
        "invalid_payload" => "Slack could not read the notification: check the Notification node's blocks against "
            + "Block Kit.",
        "no_text" => "The notification had no text: give the Notification node a message.",
        "too_many_attachments" => "The notification had too many attachments: send fewer.",
        "ratelimited" => "Slack kept rate-limiting this webhook; the notification was dropped. Send fewer at once.",
        "gave_up" => "Slack kept failing; the notification was dropped after several tries. Check Slack's status "
            + "and send it again.",
        "no_webhook_url" => "Add the Incoming Webhook URL to the channel in Workflow Settings → Notification "
            + "Channels.",
        "invalid_webhook_url" => "The stored webhook URL is not a valid http(s) URL: paste the Incoming Webhook URL "
            + "into the channel's settings again.",
        _ => $"Slack answered '{error}'; check the webhook URL and the Notification node's message.",
    };
}
