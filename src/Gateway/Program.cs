using Dagen.Gateway.Hosting;
using Dagen.Hosting;
using Microsoft.Extensions.Options;

// Settings come from appsettings.json beside the binary, then the environment, then the command line.
var builder = WebApplication.CreateBuilder(
    new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });

// Start the web server and the cluster client side by side: /healthz answers while silos are still coming up.
builder.Services.Configure<HostOptions>(options => options.ServicesStartConcurrently = true);

// The cluster client, with the same Orleans settings as the silos. A wrong setting stops here, in one line.
try
{
    builder.AddDagenClusterClient();
}
catch (ClusterSettingsException exception)
{
    Console.Error.WriteLine($"Configuration error: {exception.Message}");
    return 2;
}

// The Slack Events endpoint and the settings API; their options are checked when the host starts.
builder.Services.AddDagenGateway(builder.Configuration);

var app = builder.Build();

app.MapDagenGateway();

try
{
    await app.RunAsync();
}
catch (OptionsValidationException exception)
{
    Console.Error.WriteLine($"Configuration error: {string.Join(" ", exception.Failures)}");
    return 2;
}
catch (AggregateException exception)
    when (exception.InnerExceptions.All(e => e is OptionsValidationException))
{
    // Several sections were wrong at once: still one line, naming every setting to fix.
    var failures = exception.InnerExceptions.Cast<OptionsValidationException>().SelectMany(e => e.Failures);
    Console.Error.WriteLine($"Configuration error: {string.Join(" ", failures)}");
    return 2;
}

return 0;

/// <summary>The gateway's entry point, visible to tests that host it.</summary>
public partial class Program;
