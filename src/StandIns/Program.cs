using Dagen.StandIns.Cli;
using Dagen.StandIns.Dagen;
using Dagen.StandIns.Hosting;
using Dagen.StandIns.Slack;

// Development stand-ins for Slack and the Dagen backend, and the tools that drive them. Never deployed.
const string Usage = """
    Dagen.StandIns — development stand-ins for Slack and Dagen (never part of a deployment)

    serve [--no-slack] [--no-dagen]
        Starts the local Slack workspace (LocalSlack:Url, default http://127.0.0.1:5090) and the local Dagen
        (LocalDagen:Url, default http://127.0.0.1:5091) until Ctrl-C. Settings: appsettings.json, then
        environment variables such as LocalSlack__SigningSecret, then --LocalSlack:Url=... arguments.
    """;

var asksForHelp = args.Any(a => a is "-h" or "--help");
var command = asksForHelp ? "help"
    : args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? args[0] : "serve";
var rest = args.Length > 0 && command == args[0] ? args[1..] : args;
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
using var terminate = System.Runtime.InteropServices.PosixSignalRegistration.Create(
    System.Runtime.InteropServices.PosixSignal.SIGTERM,
    context =>
    {
        context.Cancel = true;
        stop.Cancel();
    });

try
{
    var settingArgs = rest.Where(a => a.StartsWith("--", StringComparison.Ordinal) && a.Contains(':')).ToArray();
    var commandArgs = rest.Except(settingArgs).ToArray();
    var configuration = StandInSettings.Read(settingArgs);
    var slack = StandInSettings.Slack(configuration);
    switch (command)
    {
        case "serve":
            return await ServeAsync(commandArgs, configuration, slack, stop.Token);
        case "say":
            return await SayCommand.RunAsync(commandArgs, slack, Console.Out, stop.Token);
        case "connect":
            return await ConnectCommand.RunAsync(commandArgs, configuration, slack, Console.Out, stop.Token);
        case "help" or "-h" or "--help":
            Console.WriteLine(string.Join("\n\n", Usage, SayCommand.Usage, ConnectCommand.Usage));
            return 0;
        default:
            Console.Error.WriteLine(
                $"Unknown command '{command}'.\n\n{Usage}\n\n{SayCommand.Usage}\n\n{ConnectCommand.Usage}");
            return 2;
    }
}
catch (CommandLineException exception)
{
    Console.Error.WriteLine(exception.Message);
    return 2;
}
catch (ArgumentException exception)
{
    Console.Error.WriteLine($"Configuration error: {exception.Message}");
    return 2;
}

static async Task<int> ServeAsync(
    string[] args, Microsoft.Extensions.Configuration.IConfiguration configuration, LocalSlackOptions slack,
    CancellationToken stop)
{
    var parsed = Arguments.Parse(args, [], ["no-slack", "no-dagen"]);
    var dagen = StandInSettings.Dagen(configuration);
    var host = new StandInHostOptions
    {
        ConfigureLogging = logging => logging
            .AddConfiguration(configuration.GetSection("Logging"))
            .AddSimpleConsole(console =>
            {
                console.SingleLine = true;
                console.TimestampFormat = "HH:mm:ss ";
            }),
    };

    var started = new List<StandInServer>();
    try
    {
        if (!parsed.Has("no-slack"))
        {
            var workspace = await LocalSlackWorkspace.StartAsync(slack, host, stop);
            started.Add(workspace);
            Console.WriteLine(
                $"Local Slack workspace (stand-in): {workspace.BaseUrl}  (its page shows the webhook URL)");
        }

        if (!parsed.Has("no-dagen"))
        {
            var local = await LocalDagen.StartAsync(dagen, host, stop);
            started.Add(local);
            Console.WriteLine($"Local Dagen (stand-in): {local.BaseUrl}  agents: {local.AgentsBaseUrl}");
        }

        await Task.Delay(Timeout.Infinite, stop).ContinueWith(_ => { }, TaskScheduler.Default);
        return 0;
    }
    catch (InvalidDataException exception)
    {
        Console.Error.WriteLine($"Sample file error: {exception.Message}");
        return 2;
    }
    catch (IOException exception)
    {
        Console.Error.WriteLine($"Could not start a stand-in: {exception.Message} (is the port already taken?)");
        return 1;
    }
    finally
    {
        foreach (var server in started)
        {
            await server.DisposeAsync();
        }
    }
}
