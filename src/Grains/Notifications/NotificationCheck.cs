using System.Text.Json;

namespace Dagen.Grains.Notifications;

/// <summary>What a notification must be before it is queued: text, and blocks (if any) as a JSON array.</summary>
public static class NotificationCheck
{
    /// <summary>Slack's largest number of blocks in one message.</summary>
    public const int MaxBlocks = 50;

    /// <summary>Throws an <see cref="ArgumentException"/> that says what is wrong, or returns quietly.</summary>
    public static void ThrowIfInvalid(Notification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        if (string.IsNullOrWhiteSpace(notification.Text))
        {
            throw new ArgumentException(
                "The notification has no text; Slack needs text, also as the fallback of blocks.",
                nameof(notification));
        }

        if (string.IsNullOrWhiteSpace(notification.BlocksJson))
        {
            return;
        }

        int count;
        try
        {
            using var blocks = JsonDocument.Parse(notification.BlocksJson);
            if (blocks.RootElement.ValueKind != JsonValueKind.Array)
            {
                throw new ArgumentException(
                    "The notification's blocks must be a JSON array of Block Kit blocks.", nameof(notification));
            }

            count = blocks.RootElement.GetArrayLength();
        }
        catch (JsonException exception)
        {
            throw new ArgumentException(
                $"The notification's blocks are not valid JSON: {exception.Message}", nameof(notification), exception);
        }

        if (count > MaxBlocks)
        {
            throw new ArgumentException(
                $"The notification has {count} blocks; Slack takes at most {MaxBlocks}.", nameof(notification));
        }
    }
}
