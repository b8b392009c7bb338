namespace Dagen.Grains.Channels;

/// <summary>
/// Shows a webhook URL without the part that works as a password: the scheme and host stay, the path is
/// replaced by <c>***</c>.
/// </summary>
public static class WebhookUrlMask
{
    public static string Mask(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri)
            ? $"{uri.Scheme}://{uri.Authority}/{ChannelView.Mask}"
            : ChannelView.Mask;
}
