// The optiflow command. Anything a verb does not handle ends as one line and an exit code (OptiFlowCommand.Run); an
// exception on another thread that nothing caught (a bug) is reported the same way, with exit code 3, never a stack trace.
AppDomain.CurrentDomain.UnhandledException += (_, e) =>
{
    var error = e.ExceptionObject as Exception;
    try
    {
        Console.Error.WriteLine($"optiflow: internal error on thread '{Thread.CurrentThread.Name ?? "?"}': {error?.GetType().Name}: {error?.Message.ReplaceLineEndings(" ")}");
    }
    catch (IOException)
    {
        // Standard error is gone: the exit code says it.
    }

    Environment.Exit(OptiFlow.Cli.OptiFlowCommand.EngineFailure);
};

return OptiFlow.Cli.OptiFlowCommand.Run(args, Console.Out, Console.Error);
