using System;
using System.CommandLine;
using Terminal.Desktop.Run;

namespace Terminal.Desktop
{
    /// <summary>`terminal run`: the firmware on the virtual board or a Linux board.</summary>
    internal static class RunCommand
    {
        internal static Command Create()
        {
            Option<string?> slot0 = new Option<string?>("--slot0") { Description = "Virtual board: card in slot 0 (Carte Vitale): a profile name (vitale2, the default; vitale1, cps3, cps4, t1-generic, pace-test: the simulated PACE card), a profile file, none, or vicc:<host>:<port>." };
            Option<string?> slot1 = new Option<string?>("--slot1") { Description = "Virtual board: card in slot 1 (CPx): as --slot0 (default cps3)." };
            Option<string?> link = new Option<string?>("--link") { Description = "Virtual board: host link pty[:<path>] (the default; a symbolic link at <path>), tcp:<port>, serial:<device>[:<baud>]. A Linux board uses host.uart of its board file." };
            Option<string> profile = new Option<string>("--profile") { Description = "Reader type shown to the host: sec1210 (two slots) or gempcpinpad (the CPx slot, PIN pad).", DefaultValueFactory = _ => "sec1210" };
            Option<string?> keys = new Option<string?>("--keys") { Description = "Keypad script: digits, K OK, C Cancel, R Correction, _ one-second pause; one comma-separated part per PIN entry (9999K,1234K)." };
            Option<string> board = new Option<string>("--board") { Description = "virtual, or linux:<board file> (hardware/boards/raspberry-pi.json: the real pins through libgpiod and System.IO.Ports).", DefaultValueFactory = _ => "virtual" };
            Option<string?> trace = new Option<string?>("--trace") { Description = "Trace file: a name ending in .pcapng gets a Wireshark capture of the host link and both slots, any other a text trace of the CCID messages (PIN digits never appear)." };
            Option<string> logLevel = new Option<string>("--log-level") { Description = "error, warning, info or debug.", DefaultValueFactory = _ => "info" };
            Option<string?> pace = new Option<string?>("--pace") { Description = "Virtual time: real (never ahead of the wall clock; default with a console) or free (as fast as possible; default headless)." };

            Option<string> clearPin = new Option<string>("--clear-pin") { Description = "A VERIFY / CHANGE REFERENCE DATA / RESET RETRY COUNTER with a PIN in clear from the host on the CPx slot: refuse (6982, secure entry enforced; default) or allow.", DefaultValueFactory = _ => "refuse" };
            Option<string?> keeper = new Option<string?>("--pty-keeper") { Description = "Internal: hold the pseudo-terminal at this path for restarted firmware processes.", Hidden = true };

            Command run = new Command("run", "Run the firmware on the virtual board (the default command) or a Linux board.");
            foreach (Option o in new Option[] { slot0, slot1, link, profile, keys, board, trace, logLevel, pace, clearPin, keeper })
            {
                run.Options.Add(o);
            }
            run.SetAction(result =>
            {
                string? keeperLink = result.GetValue(keeper);
                if (keeperLink != null)
                {
                    return PtyKeeper.Serve(keeperLink);
                }
                RunOptions options = new RunOptions
                {
                    Slot0 = result.GetValue(slot0),
                    Slot1 = result.GetValue(slot1),
                    Link = result.GetValue(link),
                    Profile = result.GetValue(profile)!,
                    Keys = result.GetValue(keys),
                    Board = result.GetValue(board)!,
                    Trace = result.GetValue(trace),
                    LogLevel = result.GetValue(logLevel)!,
                    Pace = result.GetValue(pace),
                    ClearPin = result.GetValue(clearPin)!,
                };
                return Runner.Run(options);
            });
            return run;
        }
    }
}
