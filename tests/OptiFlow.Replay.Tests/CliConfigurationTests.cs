using NUnit.Framework;
using OptiFlow.Cli;
using OptiFlow.Testing;

namespace OptiFlow.Replay.Tests;

/// <summary>
/// <c>--config FILE</c> (TOML, JSON) and <c>OPTIFLOW_*</c> variables: precedence (command line &gt; environment &gt; file
/// &gt; default) for an integer, a flag and lists, read back through <c>optiflow config show</c>, which parses exactly as a
/// run does; errors at file:line:column (unknown key, wrong type, bad value, malformed file) or naming the variable;
/// reserved variables left alone; secrets refused; <c>config check</c>'s exit codes. The environment is passed to
/// <see cref="OptiFlowCommand.Run"/>, never set
/// on the test process.
/// </summary>
[TestFixture]
public sealed class CliConfigurationTests
{
    private static readonly Dictionary<string, string> NoEnvironment = [];

    /// <summary>The same settings in both formats: run's core-cpu 1 and symbols [a, b], journal export's outbound flag, simulate's data list.</summary>
    private static readonly Dictionary<string, string> Settings = new()
    {
        ["toml"] = "[run]\ncore-cpu = 1\nsymbols = [\"a\", \"b\"]\n\n[journal.export]\noutbound = true\n\n[simulate]\ndata = [\"x.gz\", \"y.gz\"]\n",
        ["json"] = "{\n  \"run\": { \"core-cpu\": 1, \"symbols\": [\"a\", \"b\"] },\n  \"journal\": { \"export\": { \"outbound\": true } },\n  \"simulate\": { \"data\": [\"x.gz\", \"y.gz\"] }\n}\n",
    };

    private TempDirectory _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempDirectory("config");

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [TestCase("toml", "config.toml:2:12")]
    [TestCase("json", "config.json:2:24")]
    public void ShouldTakeAnIntegerFromTheFile_UnlessTheEnvironmentOrTheCommandLineGivesIt(string format, string location)
    {
        // Arrange
        var file = Write($"config.{format}", Settings[format]);
        var environment = new Dictionary<string, string> { ["OPTIFLOW_CORE_CPU"] = "2" };

        // Act
        var fromFile = Show(NoEnvironment, "--config", file, "--", "run");
        var fromEnvironment = Show(environment, "--config", file, "--", "run");
        var fromCommandLine = Show(environment, "--config", file, "--", "run", "--core-cpu", "3");

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(fromFile, Does.Contain($"core-cpu = 1    # {_temp.File($"config.{format}")}:{location.Split(':', 2)[1]}"));
            Assert.That(fromEnvironment, Does.Contain("core-cpu = 2    # environment OPTIFLOW_CORE_CPU=2"));
            Assert.That(fromCommandLine, Does.Contain("core-cpu = 3    # command line"));
        }
    }

    [TestCase("toml")]
    [TestCase("json")]
    public void ShouldTakeAFlagFromTheFile_UnlessTheEnvironmentOrTheCommandLineGivesIt(string format)
    {
        // Arrange: the file sets the flag, the environment clears it, the command line sets it again.
        var file = Write($"config.{format}", Settings[format]);
        var environment = new Dictionary<string, string> { ["OPTIFLOW_OUTBOUND"] = "false" };

        // Act
        var fromFile = Show(NoEnvironment, "--config", file, "--", "journal", "export", "dir");
        var fromEnvironment = Show(environment, "--config", file, "--", "journal", "export", "dir");
        var fromCommandLine = Show(environment, "--config", file, "--", "journal", "export", "dir", "--outbound");

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(fromFile, Does.Contain("outbound = true    # " + file));
            Assert.That(fromEnvironment, Does.Contain("outbound = false    # environment OPTIFLOW_OUTBOUND=false"));
            Assert.That(fromCommandLine, Does.Contain("outbound = true    # command line"));
        }
    }

    [TestCase("toml")]
    [TestCase("json")]
    public void ShouldTakeAListFromTheFile_UnlessTheEnvironmentOrTheCommandLineGivesIt(string format)
    {
        // Arrange
        var file = Write($"config.{format}", Settings[format]);
        var environment = new Dictionary<string, string> { ["OPTIFLOW_SYMBOLS"] = "c,d" };

        // Act
        var fromFile = Show(NoEnvironment, "--config", file, "--", "run");
        var fromEnvironment = Show(environment, "--config", file, "--", "run");
        var fromCommandLine = Show(environment, "--config", file, "--", "run", "--symbols", "e");
        var repeated = Show(NoEnvironment, "--config", file, "--", "simulate");
        var repeatedFromCommandLine = Show(NoEnvironment, "--config", file, "--", "simulate", "--data", "z.gz");

        // Assert: a list for a one-value option is comma-separated, as typed; a repeatable option takes each item.
        using (Assert.EnterMultipleScope())
        {
            Assert.That(fromFile, Does.Contain("symbols = a,b    # " + file));
            Assert.That(fromEnvironment, Does.Contain("symbols = c,d    # environment OPTIFLOW_SYMBOLS=c,d"));
            Assert.That(fromCommandLine, Does.Contain("symbols = e    # command line"));
            Assert.That(repeated, Does.Contain("data = x.gz,y.gz    # " + file));
            Assert.That(repeatedFromCommandLine, Does.Contain("data = z.gz    # command line"));
        }
    }

    [Test]
    public void ShouldApplyATopLevelKeyToEveryCommandThatHasTheOption_AndLetASectionOverrideIt()
    {
        // Arrange
        var file = Write("config.toml", "core-cpu = 4\nwait-strategy = \"sleeping\"\n\n[demo]\ncore-cpu = 5\n");

        // Act
        var run = Show(NoEnvironment, "--config", file, "--", "run");
        var demo = Show(NoEnvironment, "--config", file, "--", "demo");

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(run, Does.Contain($"core-cpu = 4    # {file}:1:12"));
            Assert.That(run, Does.Contain($"wait-strategy = sleeping    # {file}:2:17"));
            Assert.That(demo, Does.Contain($"core-cpu = 5    # {file}:5:12"));
        }
    }

    [Test]
    public void ShouldTakeFilesFromTheFile_UnlessTheCommandLineGivesAny()
    {
        // Arrange
        var file = Write("config.toml", "[run]\nfiles = [\"a.gz\", \"b.gz\"]\n");

        // Act
        var fromFile = Show(NoEnvironment, "--config", file, "--", "run");
        var fromCommandLine = Show(NoEnvironment, "--config", file, "--", "run", "c.gz");

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(fromFile, Does.Contain($"files = a.gz,b.gz    # {file}:2:9"));
            Assert.That(fromCommandLine, Does.Contain("files = c.gz    # command line"));
        }
    }

    [Test]
    public void ShouldPrintHelp_WhenAskedForItWhateverTheConfiguration()
    {
        // Arrange
        var file = Write("config.toml", "[run]\ncore-cpuu = 1\n");
        var (output, error) = (new StringWriter(), new StringWriter());

        // Act
        var exit = OptiFlowCommand.Run(["run", "--help", "--config", file], output, error, NoEnvironment);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.EqualTo(OptiFlowCommand.Success), error.ToString());
            Assert.That(output.ToString(), Does.Contain("--config"));
            Assert.That(error.ToString(), Is.Empty);
        }
    }

    [Test]
    public void ShouldNameTheNearestOption_WhenATopLevelKeyIsNoCommandsOption()
    {
        // Arrange
        var file = Write("config.toml", "# common\ncore-cpus = 1\n");
        var (output, error) = (new StringWriter(), new StringWriter());

        // Act
        var exit = OptiFlowCommand.Run(["config", "check", file], output, error, NoEnvironment);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.EqualTo(OptiFlowCommand.DataErrors));
            Assert.That(output.ToString(), Does.Contain($"{file}:2:1: unknown key 'core-cpus' at the top level (no command has the option --core-cpus); did you mean 'core-cpu'?"));
        }
    }

    [Test]
    public void ShouldReadTheFileNamedByOptiflowConfig_WhenNoConfigOptionIsGiven()
    {
        // Arrange
        var file = Write("config.toml", Settings["toml"]);

        // Act
        var output = Show(new Dictionary<string, string> { ["OPTIFLOW_CONFIG"] = file }, "--", "run");

        // Assert
        Assert.That(output, Does.Contain("core-cpu = 1    # " + file));
    }

    [Test]
    public void ShouldLeaveReservedVariablesAlone_WhenTheyLookLikeOptions()
    {
        // Arrange: OPTIFLOW_DATA is the tests' data folder, not simulate --data; the credential variables are no option.
        var file = Write("config.toml", Settings["toml"]);
        var environment = new Dictionary<string, string>
        {
            ["OPTIFLOW_DATA"] = "/elsewhere",
            ["OPTIFLOW_API_KEY"] = "key",
            ["OPTIFLOW_API_SECRET"] = "secret",
            ["OPTIFLOW_REQUIRE_DATA"] = "1",
        };

        // Act
        var output = Show(environment, "--config", file, "--", "simulate");

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(output, Does.Contain("data = x.gz,y.gz    # " + file));
            Assert.That(output, Does.Not.Contain("environment"));
        }
    }

    [Test]
    public void ShouldRunWithTheFilesAndOptionsOfTheFile_WhenTheCommandLineGivesNone()
    {
        // Arrange: book's required --market and its FILE arguments both from the file.
        var file = Write("config.json", $"{{\"book\": {{\"market\": \"futures\", \"every\": 0, \"files\": [\"{OptiFlowCommand.DemoRecording}\"]}}}}");
        var (output, error) = (new StringWriter(), new StringWriter());

        // Act
        var exit = OptiFlowCommand.Run(["book", "--config", file], output, error, NoEnvironment);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.EqualTo(OptiFlowCommand.Success), error.ToString());
            Assert.That(output.ToString(), Does.StartWith("{\"symbol\":\"BTCUSDT\""));
        }
    }

    [Test]
    public void ShouldHandTheConfiguredValueToTheCommand_WhenItChecksItOnlyWhenRunning()
    {
        // Arrange
        var file = Write("config.toml", "[journal.export]\nformat = \"xml\"\n");
        var (output, error) = (new StringWriter(), new StringWriter());

        // Act
        var exit = OptiFlowCommand.Run(["journal", "export", _temp.Path, "--config", file], output, error, NoEnvironment);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.EqualTo(OptiFlowCommand.BadUsage));
            Assert.That(error.ToString(), Does.Contain("--format must be csv or parquet, not 'xml'"));
        }
    }

    [TestCase("config.toml", "[run]\ncore-cpuu = 1\n", "config.toml:2:1: unknown key 'core-cpuu' in [run]; did you mean 'core-cpu'?")]
    [TestCase("config.toml", "[run]\ncore-cpu = \"x\"\n", "config.toml:2:12: 'core-cpu' expects an integer, not the string \"x\"")]
    [TestCase("config.toml", "[run]\nmarket = \"fut\"\n", "config.toml:2:10: --market must be 'futures' or 'spot', not 'fut'")]
    [TestCase("config.toml", "[run]\ncore-cpu = 99999999999\n", "config.toml:2:12: Cannot parse argument '99999999999' for option '--core-cpu': expected an integer.")]
    [TestCase("config.toml", "[rnu]\ncore-cpu = 1\n", "config.toml:1:2: unknown section [rnu]: not a command; did you mean [run]?")]
    [TestCase("config.toml", "[run]\ncore-cpu = \n", "config.toml:2:12: ")]
    [TestCase("config.toml", "[run]\ncore-cpu = 1\ncore-cpu = 2\n", "config.toml:3:1: ")]
    [TestCase("config.json", "{\n  \"run\": {\n    \"core-cpuu\": 1\n  }\n}\n", "config.json:3:5: unknown key 'core-cpuu' in [run]; did you mean 'core-cpu'?")]
    [TestCase("config.json", "{\n  \"run\": {\n    \"core-cpu\": true\n  }\n}\n", "config.json:3:17: 'core-cpu' expects an integer, not true")]
    [TestCase("config.json", "{\n  \"run\": {\n    \"market\": \"fut\"\n  }\n}\n", "config.json:3:15: --market must be 'futures' or 'spot', not 'fut'")]
    [TestCase("config.json", "{\n  \"run\": {\n    \"core-cpu\": 1,\n  }\n  \"demo\": {}\n}\n", "config.json:5:3: ")]
    [TestCase("config.json", "{\"run\": {\"core-cpu\": 1, \"core-cpu\": 2}}", "config.json:1:25: duplicate key 'core-cpu'")]
    public void ShouldNameTheFileLineAndColumn_WhenTheConfigurationIsWrong(string name, string contents, string expected)
    {
        // Arrange
        var file = Write(name, contents);
        var (output, error) = (new StringWriter(), new StringWriter());
        var (checkOutput, checkError) = (new StringWriter(), new StringWriter());

        // Act
        var exit = OptiFlowCommand.Run(["run", "--config", file, "x.gz"], output, error, NoEnvironment);
        var checkExit = OptiFlowCommand.Run(["config", "check", file], checkOutput, checkError, NoEnvironment);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.EqualTo(OptiFlowCommand.BadUsage));
            Assert.That(output.ToString(), Is.Empty, "nothing ran");
            Assert.That(error.ToString(), Does.Contain("optiflow: " + _temp.File(expected)));
            Assert.That(checkExit, Is.EqualTo(OptiFlowCommand.DataErrors), checkError.ToString());
            Assert.That(checkOutput.ToString(), Does.Contain(_temp.File(expected)));
        }
    }

    [TestCase("OPTIFLOW_CORE_CPU", "x", "environment OPTIFLOW_CORE_CPU=x: --core-cpu expects an integer")]
    [TestCase("OPTIFLOW_MARKET", "fut", "environment OPTIFLOW_MARKET=fut: --market must be 'futures' or 'spot', not 'fut'")]
    [TestCase("OPTIFLOW_OVERWRITE", "maybe", "environment OPTIFLOW_OVERWRITE=maybe: --overwrite expects true or false")]
    public void ShouldNameTheVariable_WhenAnEnvironmentValueIsWrong(string variable, string value, string expected)
    {
        // Arrange
        var (output, error) = (new StringWriter(), new StringWriter());

        // Act
        var exit = OptiFlowCommand.Run(["run", "x.gz"], output, error, new Dictionary<string, string> { [variable] = value });

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.EqualTo(OptiFlowCommand.BadUsage));
            Assert.That(error.ToString(), Does.Contain("optiflow: " + expected));
        }
    }

    [TestCase("[run]\napi-secret = \"s3cr3t-value\"\n", "config.toml:2:1: 'api-secret' is a secret")]
    [TestCase("api-key = \"s3cr3t-value\"\n", "config.toml:1:1: 'api-key' is a secret")]
    [TestCase("[run]\nprivate-key = \"s3cr3t-value\"\n", "config.toml:2:1: 'private-key' is a secret")]
    public void ShouldRefuseSecrets_WhenAConfigurationFileHoldsOne(string contents, string expected)
    {
        // Arrange
        var file = Write("config.toml", contents);
        var (output, error) = (new StringWriter(), new StringWriter());

        // Act
        var exit = OptiFlowCommand.Run(["run", "--config", file], output, error, NoEnvironment);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.EqualTo(OptiFlowCommand.BadUsage));
            Assert.That(error.ToString(), Does.Contain(_temp.File(expected)).And.Contain("--credentials FILE"));
            Assert.That(error.ToString(), Does.Not.Contain("s3cr3t-value"), "a secret is never echoed");
        }
    }

    [Test]
    public void ShouldExitZero_WhenCheckingAValidFile()
    {
        // Arrange
        var file = Write("config.toml", "core-cpu = 0\n" + Settings["toml"] + "\n[demo]\nkeep = true\n");
        var (output, error) = (new StringWriter(), new StringWriter());

        // Act
        var exit = OptiFlowCommand.Run(["config", "check", file], output, error, NoEnvironment);
        var onlyExport = OptiFlowCommand.Run(["config", "check", file, "--command", "journal export"], output, error, NoEnvironment);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.EqualTo(OptiFlowCommand.Success), output.ToString());
            Assert.That(onlyExport, Is.EqualTo(OptiFlowCommand.Success), output.ToString());
            Assert.That(output.ToString(), Does.Contain($"{file}: valid (4 commands configured)"));
        }
    }

    [Test]
    public void ShouldCheckOnlyTheNamedCommand_WhenCommandIsGiven()
    {
        // Arrange: a top-level value wrong for demo (a number for a flag) but absent from journal export.
        var file = Write("config.toml", "keep = 3\n");
        var (output, error) = (new StringWriter(), new StringWriter());

        // Act
        var all = OptiFlowCommand.Run(["config", "check", file], output, error, NoEnvironment);
        var export = OptiFlowCommand.Run(["config", "check", file, "--command", "journal export"], output, error, NoEnvironment);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(all, Is.EqualTo(OptiFlowCommand.DataErrors));
            Assert.That(output.ToString(), Does.Contain($"{file}:1:8: 'keep' expects true or false, not the integer 3 (for 'optiflow demo')"));
            Assert.That(export, Is.EqualTo(OptiFlowCommand.Success));
        }
    }

    [TestCase("config", "check")]
    [TestCase("config", "check", "/nonexistent/config.toml")]
    [TestCase("config", "check", "CONFIG", "--command", "rnu")]
    [TestCase("config", "check", "CONFIG.yaml")]
    public void ShouldExitTwo_WhenConfigCheckIsUsedWrongly(params string[] args)
    {
        // Arrange
        var file = Write("config.toml", Settings["toml"]);
        File.WriteAllText(file + ".yaml", "run: {}\n");
        var (output, error) = (new StringWriter(), new StringWriter());

        // Act
        var exit = OptiFlowCommand.Run([.. args.Select(a => a.Replace("CONFIG", file, StringComparison.Ordinal))], output, error, NoEnvironment);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.EqualTo(OptiFlowCommand.BadUsage), error.ToString());
            Assert.That(error.ToString(), Does.StartWith("optiflow: "));
        }
    }

    [Test]
    public void ShouldAcceptTheReadmeExample_WhenChecked()
    {
        // Arrange: the toml block of the README's Configuration section, verbatim.
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md"));
        var section = readme.IndexOf("## Configuration", StringComparison.Ordinal);
        Assert.That(section, Is.GreaterThanOrEqualTo(0), "README.md has no Configuration section");
        var start = readme.IndexOf("```toml\n", section, StringComparison.Ordinal) + "```toml\n".Length;
        var end = readme.IndexOf("```", start, StringComparison.Ordinal);
        var file = Write("readme.toml", readme[start..end]);
        var (output, error) = (new StringWriter(), new StringWriter());

        // Act
        var exit = OptiFlowCommand.Run(["config", "check", file], output, error, NoEnvironment);
        var run = Show(NoEnvironment, "--config", file, "--", "run");

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.EqualTo(OptiFlowCommand.Success), output.ToString() + error);
            Assert.That(run, Does.Contain("core-cpu = 0    # " + file).And.Contain("market = futures    # " + file));
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OptiFlow.Engine.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("OptiFlow.Engine.sln not found above " + AppContext.BaseDirectory);
    }

    private string Write(string name, string contents)
    {
        var path = _temp.File(name);
        File.WriteAllText(path, contents);
        return path;
    }

    private static string Show(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        var exit = OptiFlowCommand.Run(["config", "show", .. args], output, error, environment);
        Assert.That(exit, Is.EqualTo(OptiFlowCommand.Success), $"config show {string.Join(' ', args)}: {error}{output}");
        return output.ToString();
    }
}
