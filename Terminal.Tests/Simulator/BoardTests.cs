using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using Terminal.Boards;
using Terminal.Desktop.VirtualBoard;
using Terminal.Simulator;
using Xunit;

namespace Terminal.Tests.Simulator
{
    /// <summary>The virtual board's parts and their IBoard binding.</summary>
    public class BoardTests
    {
        [Fact]
        public void Board_CreateWithTwoProfiles_PutsACardInEachSlot()
        {
            VirtualBoard board = VirtualBoard.Create("vitale2", "cps3");
            Assert.Equal("vitale2", board.Slots[0].Card!.Profile.Name);
            Assert.Equal("cps3", board.Slots[1].Card!.Profile.Name);
            IBoard b = new VirtualBoardBinding(board);
            Assert.Equal(2, b.SlotCount);
            Assert.True(b.GetCardLine(0).CardPresent);
            Assert.Same(board.Slots[1].Line, b.GetCardLine(1));
            Assert.Equal("virtual", b.Name);
        }

        [Fact]
        public void Slot_InsertAndRemove_RaisePresenceEvents()
        {
            var board = new VirtualBoard();
            var events = new List<bool>();
            board.Slots[1].PresenceChanged += (_, p) => events.Add(p);
            Assert.False(board.Slots[1].Line.CardPresent);
            board.Slots[1].Insert("cps4");
            Assert.True(board.Slots[1].Line.CardPresent);
            board.Slots[1].Remove();
            Assert.False(board.Slots[1].Line.CardPresent);
            Assert.Equal(new[] { true, false }, events.ToArray());
        }

        [Fact]
        public void Keypad_ScriptPartsAreConsumedOnePerPinEntry_WithPauses()
        {
            var board = new VirtualBoard();
            IKeypad k = new VirtualBoardBinding(board).Keypad!;
            board.Keypad.Script("9999K,12_34K");
            k.Flush();
            var first = new List<Key>();
            Key key;
            while ((key = k.ReadKey(30_000)) != Key.None) { first.Add(key); }
            Assert.Equal(new[] { Key.Digit9, Key.Digit9, Key.Digit9, Key.Digit9, Key.Ok }, first.ToArray());
            k.Flush();
            long t0 = board.Clock.NowMilliseconds;
            Assert.Equal(Key.Digit1, k.ReadKey(30_000));
            Assert.Equal(Key.Digit2, k.ReadKey(30_000));
            long t2 = board.Clock.NowMilliseconds;
            // '_' is one second: the next key is not there within 500 ms.
            Assert.Equal(Key.None, k.ReadKey(500));
            Assert.Equal(Key.Digit3, k.ReadKey(30_000));
            Assert.InRange(board.Clock.NowMilliseconds - t2, 1_000, 1_200);
            Assert.Equal(Key.Digit4, k.ReadKey(30_000));
            Assert.Equal(Key.Ok, k.ReadKey(30_000));
            Assert.True(t2 > t0);
        }

        [Fact]
        public void Keypad_NoScriptedKey_ReadKeyAdvancesVirtualTimeByTheTimeout()
        {
            var board = new VirtualBoard();
            IKeypad k = new VirtualKeypadBinding(board.Keypad);
            var sw = Stopwatch.StartNew();
            long before = board.Clock.NowMilliseconds;
            Assert.Equal(Key.None, k.ReadKey(30_000));
            Assert.Equal(30_000, board.Clock.NowMilliseconds - before);
            Assert.True(sw.ElapsedMilliseconds < 1000);
        }

        [Fact]
        public void Keypad_InteractiveKeysAndCancelCorrection()
        {
            var board = new VirtualBoard();
            IKeypad k = new VirtualKeypadBinding(board.Keypad);
            k.Flush();
            board.Keypad.Press('7');
            board.Keypad.Press('R');
            board.Keypad.Press('c');
            Assert.Equal(Key.Digit7, k.ReadKey(1000));
            Assert.Equal(Key.Correction, k.ReadKey(1000));
            Assert.Equal(Key.Cancel, k.ReadKey(1000));
            Assert.Throws<ArgumentException>(() => board.Keypad.Script("12X"));
        }

        [Fact]
        public void Display_2x16_CutsAndPads_AndKeepsHistory()
        {
            var board = new VirtualBoard();
            ITextDisplay d = new VirtualBoardBinding(board).Display!;
            d.Show(0, "Code porteur ?");
            d.Show(1, "****  and more text beyond");
            Assert.Equal("Code porteur ?  ", board.Display.GetLine(0));
            Assert.Equal("****  and more t", board.Display.GetLine(1));
            Assert.Equal("Code porteur ?\n****  and more t", board.Display.Text);
            d.Clear();
            Assert.Equal("\n", board.Display.Text);
            Assert.True(board.Display.EverShowed("Code porteur"));
            Assert.Equal(3, board.Display.History.Count);
        }

        [Fact]
        public void Indicators_SecureModeAccessLedsAndBuzzer()
        {
            var board = new VirtualBoard();
            IIndicators i = new VirtualBoardBinding(board).Indicators;
            i.SetSecureMode(true);
            i.SetCardAccess(1, true);
            i.Beep(100);
            Assert.True(board.Indicators.SecureMode);
            Assert.True(board.Indicators.CardAccess(1));
            Assert.False(board.Indicators.CardAccess(0));
            i.SetSecureMode(false);
            Assert.False(board.Indicators.SecureMode);
            Assert.Single(board.Indicators.Beeps);
            Assert.Equal(4, board.Indicators.History.Count);
        }

        [Fact]
        public void Clock_IClockAndCardLinesReadTheSameVirtualTime()
        {
            VirtualBoard board = VirtualBoard.Create("vitale2", null);
            IClock c = new VirtualBoardBinding(board).Clock;
            long lineBefore = board.Slots[0].Line.Now;
            c.Sleep(250);
            Assert.Equal(250, c.NowMilliseconds);
            Assert.Equal(1_000_000, board.Slots[0].Line.Now - lineBefore);
            board.Slots[0].Line.Wait(4_000_000);
            Assert.Equal(1250, c.NowMilliseconds);
        }

        [Fact]
        public void Clock_RealTimePacing_VirtualTimeDoesNotRunAheadOfWallTime()
        {
            var clock = new VirtualBoard().Clock;
            clock.RealTimePacing = true;
            var sw = Stopwatch.StartNew();
            clock.Advance(TimeSpan.FromMilliseconds(200));
            Assert.True(sw.ElapsedMilliseconds >= 190, $"{sw.ElapsedMilliseconds} ms");
        }

        [Fact]
        public void Clock_RealTimePacing_AWaitAfterAnIdlePeriodStillTakesItsWallTime()
        {
            var clock = new VirtualBoard().Clock;
            clock.RealTimePacing = true;
            Thread.Sleep(600); // the board idle: nobody advances the clock
            var sw = Stopwatch.StartNew();
            clock.Advance(TimeSpan.FromMilliseconds(400));
            // At most MaxPacingLagMilliseconds of the idle time is credited to the wait.
            Assert.True(sw.ElapsedMilliseconds >= 400 - VirtualClock.MaxPacingLagMilliseconds - 10, $"{sw.ElapsedMilliseconds} ms");
        }

        [Fact]
        public void Clock_ScheduledActionRunsAtItsVirtualTime_RemovingACardDuringAWait()
        {
            VirtualBoard board = VirtualBoard.Create(null, "cps3");
            board.Clock.ScheduleAfter(TimeSpan.FromSeconds(5), () => board.Slots[1].Remove());
            board.Clock.Advance(TimeSpan.FromSeconds(4));
            Assert.True(board.Slots[1].Line.CardPresent);
            board.Clock.Advance(TimeSpan.FromSeconds(2));
            Assert.False(board.Slots[1].Line.CardPresent);
        }

        [Fact]
        public void Profiles_AllNamedProfilesLoad_AndNirKeysAreChecked()
        {
            foreach (string name in new[] { "vitale2", "vitale1", "cps3", "cps4", "t1-generic" })
            {
                CardProfile p = CardProfile.Load(name);
                Assert.Equal(name, p.Name);
                _ = new AtrInfo(p.AtrBytes());
            }
            Assert.True(VitaleData.IsValidNir("185057505612388"));
            Assert.False(VitaleData.IsValidNir("185057505612389"));
        }
    }
}

namespace Terminal.Tests.Simulator
{
    /// <summary>Edge cases of the virtual line contract.</summary>
    public class LineContractTests
    {
        [Fact]
        public void Line_HugeTimeoutOnAMuteCard_IsOneVirtualHour_NotAnOverflow()
        {
            var r = new HandReader("vitale2");
            r.Card.Faults.NoAtr = true;
            r.PowerUp();
            long before = r.Line.Now;
            Assert.Equal(Terminal.Iso7816.LineStatus.Timeout, r.Line.Receive(long.MaxValue));
            Assert.Equal(3600L * 4_000_000, r.Line.Now - before);
        }
    }
}
