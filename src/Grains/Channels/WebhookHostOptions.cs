using Microsoft.Extensions.Configuration;

namespace Dagen.Grains.Channels;

/// <summary>
/// <c>Gateway:WebhookHosts</c>, read by the silo because the channel grain validates webhook URLs: the hosts a
/// channel's Incoming Webhook URL may point at. Default only <c>hooks.slack.com</c>. Tests and local
/// development add <c>127.0.0.1</c>; plain http is accepted only for loopback hosts.
/// </summary>
public sealed class WebhookHostOptions
{
    public const string SettingName = "Gateway:WebhookHosts";

    public static readonly IReadOnlyList<string> DefaultHosts = ["hooks.slack.com"];

    public IReadOnlyList<string> Hosts { get; set; } = DefaultHosts;

    /// <summary>
    /// Reads the list from configuration: an array (<c>Gateway:WebhookHosts:0</c>, env
    /// <c>Gateway__WebhookHosts__0</c>) or one comma-separated value (env <c>Gateway__WebhookHosts</c>).
    /// </summary>
    public static IReadOnlyList<string> Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(SettingName);
        var values = section.Value is { } single
            ? single.Split(',')
            : section.GetChildren().Select(child => child.Value ?? "").ToArray();
        var hosts = values.Select(v => v.Trim()).Where(v => v.Length > 0).ToArray();
        return hosts.Length == 0 ? DefaultHosts : hosts;
    }
}
