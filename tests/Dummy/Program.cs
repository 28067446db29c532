// dummy: a tiny, predictable executable for Pipeline's tests. One subcommand per invocation:
//
//   echo <args...>                 each argument on its own line (stdout)
//   env <NAME>                     the variable's value; exit 1 with a note on stderr when unset
//   stderr <text...>               each argument on its own line (stderr)
//   exit <code>                    exit with that code
//   fail <code> <lines>            write "error line 1".."error line N" to stderr, then exit with code
//   sleep <ms>                     sleep, then exit 0
//   ticks <count> <ms>             "tick 1".."tick N" to stdout, flushed, sleeping <ms> after each
//   lines <count> [out|err|both]   "line 1".."line N" to stdout (default), stderr, or both interleaved
//   cat                            copy stdin to stdout
//   pwd                            the current directory
//   spawn-child-and-sleep <pidfile>  start "dummy sleep 60000", write its pid to pidfile, sleep
//   listen <port>                  HTTP server on 127.0.0.1:<port> answering 200 "ok"; port 0 picks one;
//                                  prints "listening <port>" once ready; runs until killed
//   print-secret <value>           the value to stdout and stderr, then exit 3
using Dummy;

return Run(args);

static int Run(string[] args)
{
    if (args.Length == 0)
        return Usage("no subcommand");

    var rest = args[1..];
    switch (args[0])
    {
        case "echo":
            foreach (var arg in rest)
                Console.Out.WriteLine(arg);
            return 0;
        case "env":
            var value = Environment.GetEnvironmentVariable(Arg(rest, 0));
            if (value is null)
            {
                Console.Error.WriteLine($"{rest[0]} is not set");
                return 1;
            }
            Console.Out.WriteLine(value);
            return 0;
        case "stderr":
            foreach (var arg in rest)
                Console.Error.WriteLine(arg);
            return 0;
        case "exit":
            return int.Parse(Arg(rest, 0));
        case "fail":
            for (var i = 1; i <= int.Parse(Arg(rest, 1)); i++)
                Console.Error.WriteLine($"error line {i}");
            return int.Parse(Arg(rest, 0));
        case "sleep":
            Thread.Sleep(int.Parse(Arg(rest, 0)));
            return 0;
        case "ticks":
            for (var i = 1; i <= int.Parse(Arg(rest, 0)); i++)
            {
                Console.Out.WriteLine($"tick {i}");
                Console.Out.Flush();
                Thread.Sleep(int.Parse(Arg(rest, 1)));
            }
            return 0;
        case "lines":
            Output.Lines(int.Parse(Arg(rest, 0)), rest.Length > 1 ? rest[1] : "out");
            return 0;
        case "cat":
            using (var input = Console.OpenStandardInput())
            using (var output = Console.OpenStandardOutput())
                input.CopyTo(output);
            return 0;
        case "pwd":
            Console.Out.WriteLine(Directory.GetCurrentDirectory());
            return 0;
        case "spawn-child-and-sleep":
            ChildSpawner.SpawnAndSleep(Arg(rest, 0));
            return 0;
        case "listen":
            HttpOk.Listen(int.Parse(Arg(rest, 0)));
            return 0;
        case "print-secret":
            Console.Out.WriteLine(Arg(rest, 0));
            Console.Error.WriteLine(rest[0]);
            return 3;
        default:
            return Usage($"unknown subcommand '{args[0]}'");
    }
}

static string Arg(string[] rest, int index) =>
    index < rest.Length ? rest[index] : throw new ArgumentException($"missing argument {index + 1}");

static int Usage(string problem)
{
    Console.Error.WriteLine($"dummy: {problem}. See the comment at the top of tests/Dummy/Program.cs.");
    return 64;
}
