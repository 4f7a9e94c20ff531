using System;
using System.CommandLine;
using System.IO;
using Terminal.Desktop;
using Xunit;

namespace Terminal.Tests.Boards
{
    /// <summary>`terminal selftest` on the command line.</summary>
    [Collection(ConsoleCollection.Name)]
    public class SelfTestCommandTests
    {
        [Fact]
        public void Selftest_BoardFileMissing_ExitsTwoWithTheReason()
        {
            RootCommand root = new RootCommand();
            root.Subcommands.Add(SelfTestCommand.Create());
            TextWriter saved = Console.Error;
            StringWriter error = new StringWriter();
            int code;
            try
            {
                Console.SetError(error);
                code = root.Parse(new[] { "selftest", "--board", "linux:/nonexistent/raspberry-pi.json" }).Invoke();
            }
            finally
            {
                Console.SetError(saved);
            }
            Assert.Equal(2, code);
            Assert.Contains("terminal selftest: /nonexistent/raspberry-pi.json", error.ToString(), StringComparison.Ordinal);
        }

        [Fact]
        public void Selftest_WithoutBoard_IsAParseError()
        {
            RootCommand root = new RootCommand();
            root.Subcommands.Add(SelfTestCommand.Create());
            Assert.NotEmpty(root.Parse(new[] { "selftest" }).Errors);
        }
    }
}
