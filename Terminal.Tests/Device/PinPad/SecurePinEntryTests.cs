using System;
using nanoFramework.TestFramework;
using Terminal.Boards;
using Terminal.PinPad;

namespace Terminal.Tests.Device.PinPad
{
    /// <summary>
    /// The PIN entry behaviour of issue 8 and gemSpec_KT through the service, on a scripted keypad,
    /// fake time and a virtual CPS: outcomes, keys, timers, removal, the secure-mode LED, wiping.
    /// </summary>
    [TestClass]
    public class SecurePinEntryTests
    {
        private static void AssertSent(FakeCpsCard card, string hex)
        {
            Assert.Equal(PinStructures.Hex(hex), card.LastCommand);
        }

        private static void AssertClean(PinPadRig rig)
        {
            Assert.IsTrue(rig.StorageIsZero, "PIN buffers must be all zero after the entry");
            Assert.IsTrue(rig.Service.BuffersAreClear, "PIN and APDU buffers must be all zero after the entry");
            Assert.IsFalse(rig.Indicators.SecureMode, "the secure-mode LED must be off after the entry");
            Assert.AreEqual(0, rig.Keypad.ReadsWithoutSecureMode, "every key read happens with the secure-mode LED lit");
        }

        [TestMethod]
        public void OpenScVariableTemplate_1234K_InsertsDigitsSetsLcAndVerifies9000()
        {
            PinPadRig rig = new PinPadRig();
            rig.Keypad.Type("1234K", 300);
            SecurePinResult r = rig.Run(PinStructures.OpenScVerify(), PinStructureForm.PcscVerify);
            Assert.AreEqual((int)SecurePinOutcome.CardAnswered, (int)r.Outcome);
            Assert.AreEqual(0x9000, r.StatusWord);
            Assert.AreEqual(0, (int)r.BError);
            AssertSent(rig.Card, "00 20 00 01 04 31 32 33 34");
            Assert.AreEqual(2, r.ResponseLength);
            Assert.AreEqual((byte)0x90, rig.Response[0]);
            Assert.AreEqual("PIN correct", rig.Display.Line0);
            AssertClean(rig);
        }

        [TestMethod]
        public void PaddedTemplate_KeepsFfPaddingOfTheBlock()
        {
            PinPadRig rig = new PinPadRig();
            rig.Keypad.Type("1234K", 300);
            SecurePinResult r = rig.Run(PinStructures.OpenScVerifyPadded(), PinStructureForm.PcscVerify);
            Assert.AreEqual(0x9000, r.StatusWord);
            AssertSent(rig.Card, "00 20 00 01 08 31 32 33 34 FF FF FF FF");
            AssertClean(rig);
        }

        [TestMethod]
        public void WrongPinTwice_Gives63C2Then63C1_WithTriesOnTheDisplay()
        {
            PinPadRig rig = new PinPadRig();
            rig.Keypad.Type("1111K", 300);
            SecurePinResult r = rig.Run(PinStructures.OpenScVerify(), PinStructureForm.PcscVerify);
            Assert.AreEqual(0x63C2, r.StatusWord);
            Assert.AreEqual("Wrong PIN -", rig.Display.Line0);
            Assert.AreEqual("2 left", rig.Display.Line1);
            AssertClean(rig);

            rig.Keypad.Type("2222K", 300);
            r = rig.Run(PinStructures.OpenScVerify(), PinStructureForm.PcscVerify);
            Assert.AreEqual(0x63C1, r.StatusWord);
            Assert.AreEqual("1 left", rig.Display.Line1);
            Assert.AreEqual((byte)0x63, rig.Response[0]);
            Assert.AreEqual((byte)0xC1, rig.Response[1]);
            AssertClean(rig);
        }

        [TestMethod]
        public void WrongPin_FrenchByLangId040C_ShowsCodeFauxEssais()
        {
            PinPadRig rig = new PinPadRig();
            rig.Keypad.Type("1111K", 300);
            SecurePinResult r = rig.Run(PinStructures.CcidVerifyPadded(), PinStructureForm.CcidSecure);
            Assert.AreEqual(0x63C2, r.StatusWord);
            Assert.IsTrue(rig.Display.Contains("Code porteur ?"), "French prompt");
            Assert.AreEqual("Code faux -", rig.Display.Line0);
            Assert.AreEqual("2 essai(s)", rig.Display.Line1);
            AssertClean(rig);
        }

        [TestMethod]
        public void LastTryWrong_Gives6983_CardBlocked()
        {
            PinPadRig rig = new PinPadRig();
            rig.Card.Tries = 1;
            rig.Keypad.Type("9999K", 300);
            SecurePinResult r = rig.Run(PinStructures.CcidVerifyPadded(), PinStructureForm.CcidSecure);
            Assert.AreEqual(0x6983, r.StatusWord);
            Assert.AreEqual("Carte bloqu\u00E9e", rig.Display.Line0);
            AssertClean(rig);
        }

        [TestMethod]
        public void CancelKey_Gives6401_BErrorPinCancelled_NothingSentToTheCard()
        {
            PinPadRig rig = new PinPadRig();
            rig.Keypad.Type("12C", 300);
            SecurePinResult r = rig.Run(PinStructures.CcidVerifyPadded(), PinStructureForm.CcidSecure);
            Assert.AreEqual((int)SecurePinOutcome.Cancelled, (int)r.Outcome);
            Assert.AreEqual(0x6401, r.StatusWord);
            Assert.AreEqual(PinStatus.BErrorPinCancelled, r.BError);
            Assert.IsTrue(r.CcidFailed);
            Assert.AreEqual(0, rig.Card.Commands.Count);
            Assert.AreEqual("Abandon", rig.Display.Line0);
            AssertClean(rig);
        }

        [TestMethod]
        public void NoKey_Gives6400AfterTheFirstDigitTimer_OnFakeTime()
        {
            PinPadRig rig = new PinPadRig();
            SecurePinResult r = rig.Run(PinStructures.OpenScVerify(), PinStructureForm.PcscVerify);
            Assert.AreEqual((int)SecurePinOutcome.Timeout, (int)r.Outcome);
            Assert.AreEqual(0x6400, r.StatusWord);
            Assert.AreEqual(PinStatus.BErrorPinTimeout, r.BError);
            Assert.AreEqual(30000L, rig.Clock.Now, "bTimeOut 1Eh = 30 s to the first digit");
            Assert.AreEqual(0, rig.Card.Commands.Count);
            AssertClean(rig);
        }

        [TestMethod]
        public void HostTimers_FirstDigit10s_NextDigit5s_AreHonoured()
        {
            byte[] s = PinStructures.OpenScVerify();
            s[0] = 10;
            s[1] = 5;
            PinPadRig rig = new PinPadRig();
            rig.Keypad.Press(Key.Digit1, 9000).Press(Key.Digit2, 4900);
            SecurePinResult r = rig.Run(s, PinStructureForm.PcscVerify);
            Assert.AreEqual(0x6400, r.StatusWord);
            Assert.AreEqual(9000L + 4900L + 5000L, rig.Clock.Now, "timeout 5 s after the last key");
            AssertClean(rig);
        }

        [TestMethod]
        public void LongEntry_KeepsTheHostWaitingAtEveryPoll()
        {
            PinPadRig rig = new PinPadRig();
            SecurePinResult r = rig.Run(PinStructures.OpenScVerify(), PinStructureForm.PcscVerify);
            Assert.AreEqual(0x6400, r.StatusWord);
            Assert.IsTrue(rig.Card.KeepAlives >= 30000 / PinEntry.DefaultPollMilliseconds);
            Assert.IsTrue(rig.Card.LongestKeepAliveGap <= PinEntry.DefaultPollMilliseconds, "a time extension can be sent at least every poll");
        }

        [TestMethod]
        public void PauseLongerThanTheNextDigitTimer_TimesOut()
        {
            PinPadRig rig = new PinPadRig();
            rig.Keypad.Type("12_______________________________34K", 100);
            SecurePinResult r = rig.Run(PinStructures.OpenScVerify(), PinStructureForm.PcscVerify);
            Assert.AreEqual(0x6400, r.StatusWord);
            Assert.AreEqual(200L + 30000L, rig.Clock.Now);
            Assert.AreEqual(0, rig.Card.Commands.Count);
        }

        [TestMethod]
        public void DefaultTimer30s_WhenTheHostGivesZero()
        {
            byte[] s = PinStructures.CcidVerifyPadded();
            s[1] = 0;
            PinPadRig rig = new PinPadRig();
            rig.Keypad.Press(Key.Digit1, 29000);
            SecurePinResult r = rig.Run(s, PinStructureForm.CcidSecure);
            Assert.AreEqual(0x6400, r.StatusWord);
            Assert.AreEqual(29000L + 30000L, rig.Clock.Now);
        }

        [TestMethod]
        public void OverallLimit180s_EndsAnEntryKeptAliveByKeys()
        {
            PinPadRig rig = new PinPadRig();
            for (int i = 0; i < 20; i++)
            {
                rig.Keypad.Type("1R", 20000);
            }

            SecurePinResult r = rig.Run(PinStructures.OpenScVerify(), PinStructureForm.PcscVerify);
            Assert.AreEqual(0x6400, r.StatusWord);
            Assert.AreEqual(180000L, rig.Clock.Now);
            AssertClean(rig);
        }

        [TestMethod]
        public void Correction_RemovesTheLastDigit()
        {
            PinPadRig rig = new PinPadRig();
            rig.Keypad.Type("1235R4K", 300);
            SecurePinResult r = rig.Run(PinStructures.OpenScVerify(), PinStructureForm.PcscVerify);
            Assert.AreEqual(0x9000, r.StatusWord);
            AssertSent(rig.Card, "00 20 00 01 04 31 32 33 34");
            Assert.IsTrue(rig.Display.Contains("****"));
            AssertClean(rig);
        }

        [TestMethod]
        public void OkBelowTheMinimum_IsRefusedWithABeep()
        {
            PinPadRig rig = new PinPadRig();
            rig.Keypad.Type("123K4K", 300);
            SecurePinResult r = rig.Run(PinStructures.OpenScVerify(), PinStructureForm.PcscVerify);
            Assert.AreEqual(1, rig.Indicators.Beeps);
            Assert.AreEqual(0x9000, r.StatusWord);
            AssertSent(rig.Card, "00 20 00 01 04 31 32 33 34");
            AssertClean(rig);
        }

        [TestMethod]
        public void MaxLength_RefusesTheNinthDigit()
        {
            PinPadRig rig = new PinPadRig();
            rig.Card.Pin = new byte[] { 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38 };
            rig.Keypad.Type("123456789K", 300);
            SecurePinResult r = rig.Run(PinStructures.OpenScVerify(), PinStructureForm.PcscVerify);
            Assert.AreEqual(1, rig.Indicators.Beeps);
            Assert.AreEqual(0x9000, r.StatusWord);
            AssertSent(rig.Card, "00 20 00 01 08 31 32 33 34 35 36 37 38");
            AssertClean(rig);
        }

        [TestMethod]
        public void ValidationOnMaxSize_CompletesWithoutOk()
        {
            byte[] s = PinStructures.OpenScVerify();
            s[5] = 4;
            s[7] = 0x03;
            PinPadRig rig = new PinPadRig();
            rig.Keypad.Type("1234", 300);
            SecurePinResult r = rig.Run(s, PinStructureForm.PcscVerify);
            Assert.AreEqual(0x9000, r.StatusWord);
            Assert.AreEqual(1200L, rig.Clock.Now);
            AssertClean(rig);
        }

        [TestMethod]
        public void ValidationOnTimeout_SendsWhatWasTypedAtTheTimer()
        {
            byte[] s = PinStructures.OpenScVerify();
            s[7] = 0x06;
            PinPadRig rig = new PinPadRig();
            rig.Keypad.Type("1234", 300);
            SecurePinResult r = rig.Run(s, PinStructureForm.PcscVerify);
            Assert.AreEqual(0x9000, r.StatusWord);
            AssertSent(rig.Card, "00 20 00 01 04 31 32 33 34");
        }

        [TestMethod]
        public void CardRemoval_AbortsTheEntry()
        {
            PinPadRig rig = new PinPadRig();
            rig.Card.RemovedAt = 1000;
            rig.Keypad.Type("12", 300);
            SecurePinResult r = rig.Run(PinStructures.CcidVerifyPadded(), PinStructureForm.CcidSecure);
            Assert.AreEqual((int)SecurePinOutcome.CardRemoved, (int)r.Outcome);
            Assert.AreEqual(PinStatus.BErrorIccMute, r.BError);
            Assert.IsTrue(rig.Clock.Now < 1000 + PinEntry.DefaultPollMilliseconds + 1, "noticed within one poll");
            Assert.AreEqual(0, rig.Card.Commands.Count);
            Assert.AreEqual("Carte retir\u00E9e", rig.Display.Line0);
            AssertClean(rig);
        }

        [TestMethod]
        public void Modify_MismatchOfTheNewEntries_Gives6402_NothingSent()
        {
            PinPadRig rig = new PinPadRig();
            rig.Keypad.Type("1234K,5678K,5679K", 300);
            SecurePinResult r = rig.Run(PinStructures.PcscChange(3), PinStructureForm.PcscModify);
            Assert.AreEqual((int)SecurePinOutcome.Mismatch, (int)r.Outcome);
            Assert.AreEqual(0x6402, r.StatusWord);
            Assert.AreEqual(0, (int)r.BError);
            Assert.AreEqual(0, rig.Card.Commands.Count);
            Assert.AreEqual("Codes diff\u00E9rents", rig.Display.Line0);
            AssertClean(rig);
        }

        [TestMethod]
        public void Modify_ThreePrompts_ChangesThePin_AndTheNewOneVerifies()
        {
            PinPadRig rig = new PinPadRig();
            rig.Keypad.Type("1234K,5678K,5678K", 300);
            SecurePinResult r = rig.Run(PinStructures.PcscChange(3), PinStructureForm.PcscModify);
            Assert.AreEqual(0x9000, r.StatusWord);
            AssertSent(rig.Card, "00 24 00 01 10 31 32 33 34 FF FF FF FF 35 36 37 38 FF FF FF FF");
            Assert.IsTrue(rig.Display.Contains("Code porteur ?"));
            Assert.IsTrue(rig.Display.Contains("Nouveau code ?"));
            Assert.IsTrue(rig.Display.Contains("Confirmer code"));
            Assert.AreEqual("Code modifi\u00E9", rig.Display.Line0);
            Assert.AreEqual(2, rig.Indicators.SecureModeChanges, "the LED stays lit across the three prompts");
            AssertClean(rig);

            rig.Keypad.Type("5678K", 300);
            r = rig.Run(PinStructures.OpenScVerify(), PinStructureForm.PcscVerify);
            Assert.AreEqual(0x9000, r.StatusWord);
        }

        [TestMethod]
        public void Modify_WithoutConfirmation_TwoPrompts()
        {
            PinPadRig rig = new PinPadRig();
            rig.Keypad.Type("1234K,4444K", 300);
            SecurePinResult r = rig.Run(PinStructures.PcscChange(2), PinStructureForm.PcscModify);
            Assert.AreEqual(0x9000, r.StatusWord);
            Assert.AreEqual(0, rig.Keypad.Remaining);
            Assert.IsFalse(rig.Display.Contains("Confirmer code"));
            AssertClean(rig);
        }

        [TestMethod]
        public void Unblock_EightDigitCode_NewPinTwice_ThroughTheModifyStructure()
        {
            PinPadRig rig = new PinPadRig();
            rig.Card.Tries = 0;
            rig.Keypad.Type("12345678K,4321K,4321K", 300);
            SecurePinResult r = rig.Run(PinStructures.PcscUnblock(), PinStructureForm.PcscModify);
            Assert.AreEqual(0x9000, r.StatusWord);
            AssertSent(rig.Card, "00 2C 00 01 10 31 32 33 34 35 36 37 38 34 33 32 31 FF FF FF FF");
            Assert.IsTrue(rig.Display.Contains("Code d\u00E9blocage ?"));
            Assert.AreEqual("Code d\u00E9bloqu\u00E9", rig.Display.Line0);
            Assert.AreEqual(3, rig.Card.Tries);
            AssertClean(rig);

            rig.Keypad.Type("4321K", 300);
            Assert.AreEqual(0x9000, rig.Run(PinStructures.OpenScVerify(), PinStructureForm.PcscVerify).StatusWord);
        }

        [TestMethod]
        public void Modify_CancelAtTheConfirmation_WipesEveryBuffer()
        {
            PinPadRig rig = new PinPadRig();
            rig.Keypad.Type("1234K,5678K,56C", 300);
            SecurePinResult r = rig.Run(PinStructures.PcscChange(3), PinStructureForm.PcscModify);
            Assert.AreEqual(0x6401, r.StatusWord);
            AssertClean(rig);
        }

        [TestMethod]
        public void KeypadFailure_ExceptionEscapes_ButBuffersAreWipedAndLedOff()
        {
            PinPadRig rig = new PinPadRig();
            ThrowingKeypad keypad = new ThrowingKeypad(rig.Keypad, 4);
            rig.Keypad.Type("1234K", 300);
            SecurePinService service = new SecurePinService(keypad, rig.Display, rig.Indicators, rig.Clock, new PinBuffer(rig.CurrentStorage), new PinBuffer(rig.NewStorage), new PinBuffer(rig.ConfirmStorage));
            byte[] s = PinStructures.OpenScVerify();
            Assert.ThrowsException(typeof(InvalidOperationException), () => service.Execute(s, 0, s.Length, PinStructureForm.PcscVerify, rig.Card, T1Edc.None, rig.Response, 0, rig.Response.Length));
            Assert.IsTrue(rig.StorageIsZero);
            Assert.IsTrue(service.BuffersAreClear);
            Assert.IsFalse(rig.Indicators.SecureMode);
        }

        [TestMethod]
        public void AbortFromTheCcidLayer_EndsTheEntryAsCancelled()
        {
            PinPadRig rig = new PinPadRig();
            AbortingKeypad keypad = new AbortingKeypad(rig.Keypad, 3);
            SecurePinService service = new SecurePinService(keypad, rig.Display, rig.Indicators, rig.Clock, new PinBuffer(rig.CurrentStorage), new PinBuffer(rig.NewStorage), new PinBuffer(rig.ConfirmStorage));
            keypad.Service = service;
            rig.Keypad.Type("1234K", 300);
            byte[] s = PinStructures.OpenScVerify();
            SecurePinResult r = service.Execute(s, 0, s.Length, PinStructureForm.PcscVerify, rig.Card, T1Edc.None, rig.Response, 0, rig.Response.Length);
            Assert.AreEqual((int)SecurePinOutcome.Cancelled, (int)r.Outcome);
            Assert.AreEqual(0x6401, r.StatusWord);
            Assert.AreEqual(0, rig.Card.Commands.Count);
            Assert.IsTrue(rig.StorageIsZero);
            Assert.IsFalse(rig.Indicators.SecureMode);

            // A stale abort does not cancel the next operation.
            service.Abort();
            keypad.Service = null;
            rig.Keypad.Type("1234K", 300);
            Assert.AreEqual(0x9000, service.Execute(s, 0, s.Length, PinStructureForm.PcscVerify, rig.Card, T1Edc.None, rig.Response, 0, rig.Response.Length).StatusWord);
        }

        [TestMethod]
        public void LedIsOffBeforeAndAfter_AndOnAtEveryKeyRead()
        {
            PinPadRig rig = new PinPadRig();
            Assert.IsFalse(rig.Indicators.SecureMode);
            rig.Keypad.Type("1234K", 300);
            rig.Run(PinStructures.OpenScVerify(), PinStructureForm.PcscVerify);
            Assert.IsTrue(rig.Keypad.Reads > 0);
            Assert.AreEqual(0, rig.Keypad.ReadsWithoutSecureMode);
            Assert.AreEqual(2, rig.Indicators.SecureModeChanges);
            Assert.IsFalse(rig.Indicators.SecureMode);
            Assert.AreEqual(1, rig.Keypad.Flushes, "keys pressed before the prompt are forgotten");
        }

        [TestMethod]
        public void CardMute_AfterTheEntry_GivesIccMute()
        {
            PinPadRig rig = new PinPadRig();
            rig.Card.Mute = true;
            rig.Keypad.Type("1234K", 300);
            SecurePinResult r = rig.Run(PinStructures.OpenScVerify(), PinStructureForm.PcscVerify);
            Assert.AreEqual((int)SecurePinOutcome.CardMute, (int)r.Outcome);
            Assert.AreEqual(PinStatus.BErrorIccMute, r.BError);
            AssertClean(rig);
        }

        [TestMethod]
        public void T1Tpdu_WrapsTheApduWithTheHostPrologue_AndReadsTheSwFromTheBlock()
        {
            PinPadRig rig = new PinPadRig();
            T1Card card = new T1Card();
            byte[] s = PinStructures.CcidVerifyPadded();
            s[12] = 0x00;
            s[13] = 0x40;
            s[14] = 0x0D;
            rig.Keypad.Type("1234K", 300);
            SecurePinResult r = rig.Service.Execute(s, 0, s.Length, PinStructureForm.CcidSecure, card, T1Edc.Lrc, rig.Response, 0, rig.Response.Length);
            Assert.Equal(PinStructures.Hex("00 40 0D 00 20 00 01 08 31 32 33 34 FF FF FF FF 60"), card.Block);
            Assert.AreEqual(0x9000, r.StatusWord);
            Assert.AreEqual(6, r.ResponseLength);
            Assert.IsTrue(rig.Service.BuffersAreClear);
        }
    }

    /// <summary>A keypad that fails on its n-th read.</summary>
    public sealed class ThrowingKeypad : IKeypad
    {
        private readonly IKeypad _inner;
        private int _left;

        public ThrowingKeypad(IKeypad inner, int failAt)
        {
            _inner = inner;
            _left = failAt;
        }

        public Key ReadKey(int timeoutMilliseconds)
        {
            if (--_left <= 0)
            {
                throw new InvalidOperationException("keypad matrix fault");
            }

            return _inner.ReadKey(timeoutMilliseconds);
        }

        public void Flush()
        {
            _inner.Flush();
        }
    }

    /// <summary>A keypad whose n-th read comes with an abort from "another thread".</summary>
    public sealed class AbortingKeypad : IKeypad
    {
        private readonly ScriptedKeypad _inner;
        private int _left;

        public SecurePinService? Service;

        public AbortingKeypad(ScriptedKeypad inner, int abortAt)
        {
            _inner = inner;
            _left = abortAt;
        }

        public Key ReadKey(int timeoutMilliseconds)
        {
            if (--_left == 0 && Service != null)
            {
                Service.Abort();
            }

            return _inner.ReadKey(timeoutMilliseconds);
        }

        public void Flush()
        {
            _inner.Flush();
        }
    }

    /// <summary>A T=1 card that keeps the block it got and answers the I-block 00 00 02 90 00 92.</summary>
    public sealed class T1Card : ISecureCardChannel
    {
        public byte[] Block = new byte[0];

        public bool IsCardPresent
        {
            get { return true; }
        }

        public void KeepHostWaiting()
        {
        }

        public int Transmit(byte[] command, int commandOffset, int commandLength, byte[] response, int responseOffset, int responseCapacity)
        {
            Block = new byte[commandLength];
            Array.Copy(command, commandOffset, Block, 0, commandLength);
            byte[] answer = PinStructures.Hex("00 00 02 90 00 92");
            Array.Copy(answer, 0, response, responseOffset, answer.Length);
            return answer.Length;
        }
    }
}
