return OptiFlow.Cli.OptiFlowCommand.Run(args, Console.Out, Console.Error);
