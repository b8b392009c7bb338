namespace Dagen.EndToEnd.Tests.Browser;

/// <summary>One headless Chromium for the tests of a class; each test opens its own stand-in's page.</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private HeadlessChromium? _browser;

    public HeadlessChromium Browser => _browser ?? throw new InvalidOperationException("Chromium not started.");

    public async Task InitializeAsync() => _browser = await HeadlessChromium.StartAsync();

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }
    }
}
