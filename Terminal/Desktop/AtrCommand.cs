using System;
using System.CommandLine;

namespace Terminal.Desktop
{
    /// <summary>`terminal atr`: decodes Answers-to-Reset for people (text) and labs (JSON lines).</summary>
    internal static class AtrCommand
    {
        internal static Command Create()
        {
            Command atr = new Command("atr", "Decode an Answer-to-Reset (hex), or one a line from standard input with '-'.");
            atr.SetAction(_ =>
            {
                Console.Error.WriteLine("terminal atr: the ATR decoder is not built yet.");
                return 2;
            });
            return atr;
        }
    }
}
