using Dagen.Grains.Channels;
using Dagen.Grains.Notifications;
using Dagen.Grains.Tests.Infrastructure;

namespace Dagen.Grains.Tests.Channels;

[Collection(ClusterCollection.Name)]
public sealed class NotificationChannelGrainTests(ClusterFixture fixture)
{
    private const string WebhookUrl = "https://hooks.slack.com/services/T0TEST/B0TEST/aaaabbbbccccdddd";
    private const string BotToken = "xoxb-test-1111-2222-abcdefghijkl";
    private const string SigningSecret = "0123456789abcdef0123456789abcdef";

    private static ChannelSettings Full(string name = "Data team") => new()
    {
        Name = name,
        WebhookUrl = WebhookUrl,
        BotToken = BotToken,
        SigningSecret = SigningSecret,
    };

    private INotificationChannelGrain NewChannel() =>
        fixture.Client.GetGrain<INotificationChannelGrain>(Keys.New("ch"));

    [Fact]
    public async Task ASavedChannelIsShownWithEverySecretMasked()
    {
        var channel = NewChannel();

        var result = await channel.SaveAsync(Full());

        Assert.True(result.Succeeded);
        Assert.True(result.Created);
        var view = await channel.GetAsync();
        Assert.NotNull(view);
        Assert.Equal("https://hooks.slack.com/***", view.WebhookUrl);
        Assert.Equal(ChannelView.Mask, view.BotToken);
        Assert.Equal(ChannelView.Mask, view.SigningSecret);
        Assert.True(view.BotEnabled);
        Assert.Equal(fixture.Clock.GetUtcNow(), view.CreatedAt);
    }

    [Fact]
    public async Task TheInternalAccessorsGiveTheSecretsBack()
    {
        var channel = NewChannel();
        await channel.SaveAsync(Full());

        Assert.Equal(SigningSecret, await channel.GetSigningSecretAsync());
        Assert.Equal(BotToken, await channel.GetBotTokenAsync());
        Assert.Equal(WebhookUrl, await channel.GetWebhookUrlAsync());
    }

    [Fact]
    public async Task ASaveSendingMasksOrLeavingSecretsOutKeepsThem()
    {
        var channel = NewChannel();
        await channel.SaveAsync(Full());

        var masked = await channel.SaveAsync(new ChannelSettings
        {
            Name = "Renamed",
            WebhookUrl = "https://hooks.slack.com/***",
            BotToken = ChannelView.Mask,
            SigningSecret = ChannelView.Mask,
        });
        var leftOut = await channel.SaveAsync(new ChannelSettings { Name = "Renamed again" });

        Assert.True(masked.Succeeded, string.Join("; ", masked.Errors.Values));
        Assert.True(leftOut.Succeeded);
        Assert.False(leftOut.Created);
        Assert.Equal("Renamed again", (await channel.GetAsync())!.Name);
        Assert.Equal(SigningSecret, await channel.GetSigningSecretAsync());
        Assert.Equal(BotToken, await channel.GetBotTokenAsync());
        Assert.Equal(WebhookUrl, await channel.GetWebhookUrlAsync());
    }

    [Fact]
    public async Task ASaveWithANewSecretReplacesIt()
    {
        var channel = NewChannel();
        await channel.SaveAsync(Full());

        await channel.SaveAsync(new ChannelSettings { SigningSecret = "fedcba9876543210fedcba9876543210" });

        Assert.Equal("fedcba9876543210fedcba9876543210", await channel.GetSigningSecretAsync());
    }

    [Fact]
    public async Task EveryBadFieldIsNamedAndNothingIsSaved()
    {
        var channel = NewChannel();

        var result = await channel.SaveAsync(new ChannelSettings
        {
            Name = new string('n', ChannelSettingsValidator.MaxNameLength + 1),
            WebhookUrl = "https://evil.example.net/services/T0TEST/B0TEST/x",
            BotToken = "xoxp-user-token-not-a-bot",
            SigningSecret = "short",
        });

        Assert.False(result.Succeeded);
        Assert.Equal(["botToken", "name", "signingSecret", "webhookUrl"], result.Errors.Keys.Order());
        Assert.Contains("xoxb-", result.Errors["botToken"]);
        Assert.DoesNotContain("evil.example.net", result.Errors["webhookUrl"]);
        Assert.Null(await channel.GetAsync());
    }

    [Theory]
    [InlineData("http://hooks.slack.com/services/T0TEST/B0TEST/x", "https")]
    [InlineData("https://hooks.slack.com.evil.example/services/x", "only point at")]
    [InlineData("https://hooks.slack.com/", "no webhook path")]
    [InlineData("not a url", "not a URL")]
    [InlineData("ftp://hooks.slack.com/services/x", "https")]
    [InlineData("https://hooks.slack.com:8443/services/T0TEST/B0TEST/x", "port, a query")]
    [InlineData("https://hooks.slack.com/services/T0TEST/B0TEST/x?next=/elsewhere", "port, a query")]
    public async Task AWebhookOffTheAllowListOrWithoutHttpsIsRefused(string url, string expected)
    {
        var result = await NewChannel().SaveAsync(new ChannelSettings { Name = "Ops", WebhookUrl = url });

        Assert.Contains(expected, result.Errors["webhookUrl"]);
    }

    [Fact]
    public async Task ALoopbackWebhookMayUsePlainHttpWhenItsHostIsAllowed()
    {
        var result = await NewChannel().SaveAsync(
            new ChannelSettings { Name = "Local", WebhookUrl = "http://127.0.0.1:5090/services/T0TEST/B0TEST/x" });

        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Values));
        Assert.Equal("http://127.0.0.1:5090/***", result.Channel!.WebhookUrl);
    }

    [Fact]
    public async Task ABotTokenWithoutASigningSecretIsRefused()
    {
        var result = await NewChannel().SaveAsync(new ChannelSettings { Name = "Bot", BotToken = BotToken });

        Assert.Equal(["signingSecret"], result.Errors.Keys);
    }

    [Fact]
    public async Task ANewChannelIsListedAndADeletedOneIsNot()
    {
        var channel = NewChannel();
        await channel.SaveAsync(Full("Listed"));

        var listed = await fixture.Client.ListChannelsAsync();
        Assert.Contains(listed, v => v.Id == channel.GetPrimaryKeyString() && v.BotToken == ChannelView.Mask);

        Assert.True(await channel.DeleteAsync());
        Assert.False(await channel.DeleteAsync());
        Assert.DoesNotContain(await fixture.Client.ListChannelsAsync(), v => v.Id == channel.GetPrimaryKeyString());
        Assert.Null(await channel.GetSigningSecretAsync());
    }

    [Fact]
    public async Task APermanentWebhookFailureIsShownUntilADeliverySucceeds()
    {
        var channel = NewChannel();
        await channel.SaveAsync(Full());

        await channel.RecordWebhookOutcomeAsync(new WebhookOutcome
        {
            Error = "channel_is_archived",
            Fix = "Unarchive the Slack channel or add a new webhook.",
            At = fixture.Clock.GetUtcNow(),
        });
        Assert.Equal("channel_is_archived: Unarchive the Slack channel or add a new webhook.",
            (await channel.GetAsync())!.LastError);

        await channel.RecordWebhookOutcomeAsync(new WebhookOutcome { Delivered = true });
        Assert.Null((await channel.GetAsync())!.LastError);
    }

    [Fact]
    public async Task ANotificationForAChannelWithoutAWebhookIsRefused()
    {
        var channel = NewChannel();
        await channel.SaveAsync(Full() with { WebhookUrl = null });

        var receipt = await channel.NotifyAsync(new Notification { Text = "Run finished" });

        Assert.False(receipt.Accepted);
        Assert.Contains("no Incoming Webhook URL", receipt.Error);
    }
}
