using Dagen.Bench.Events;

// Commands:
//   free-port                  print a TCP port on 127.0.0.1 that is free now
//   stand-in --port N          answer every HTTP call on 127.0.0.1:N with {"ok":true} until stopped
//   run --gateway URL --admin-token T [--rate 1000] [--seconds 10] [--warmup-seconds 2] [--slack-channels 1]
//                              create a channel, then deliver signed app_mention events at a fixed rate
return args.FirstOrDefault() switch
{
    "free-port" => Commands.FreePort(),
    "stand-in" => await Commands.StandInAsync(Arguments.Parse(args.Skip(1))),
    "run" => await Commands.RunAsync(Arguments.Parse(args.Skip(1))),
    _ => Commands.Usage(),
};
