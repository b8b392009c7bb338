using Dagen.Grains.Channels;

namespace Dagen.Grains.Tests.Channels;

public sealed class ChannelSettingsTextTests
{
    [Fact]
    public void SettingsWrittenAsTextShowNoSecret()
    {
        var settings = new ChannelSettings
        {
            Name = "Data team",
            WebhookUrl = "https://hooks.slack.com/services/T0TEST/B0TEST/not-a-real-secret",
            BotToken = "xoxb-test-not-a-real-token",
            SigningSecret = "test0signing0secret0text01",
        };

        var text = settings.ToString();

        Assert.Contains("Data team", text);
        Assert.DoesNotContain("not-a-real", text);
        Assert.DoesNotContain("test0signing", text);
        Assert.Contains("***", text);
    }
}
