namespace Terminal.Iso7816
{
    /// <summary>Helpers on the status word SW1 SW2 (ISO/IEC 7816-4 §5.6), held as an int 0xSW1SW2.</summary>
    public static class StatusWord
    {
        /// <summary>Normal processing.</summary>
        public const int Success = 0x9000;

        /// <summary>Authentication method (PIN) blocked.</summary>
        public const int Blocked = 0x6983;

        /// <summary>Security status not satisfied.</summary>
        public const int SecurityNotSatisfied = 0x6982;

        /// <summary>The last two bytes of a response as 0xSW1SW2, or -1 when the response is shorter than two bytes.</summary>
        public static int Of(byte[] response, int offset, int length)
        {
            if (response == null || length < 2 || offset < 0 || offset > response.Length - length)
            {
                return -1;
            }
            return (response[offset + length - 2] << 8) | response[offset + length - 1];
        }

        /// <summary>9000.</summary>
        public static bool IsSuccess(int sw)
        {
            return sw == Success;
        }

        /// <summary>61xx: more response bytes are available (GET RESPONSE).</summary>
        public static bool HasMoreData(int sw)
        {
            return (sw >> 8) == 0x61;
        }

        /// <summary>6Cxx: wrong Le; xx is the exact length available.</summary>
        public static bool IsWrongLe(int sw)
        {
            return (sw >> 8) == 0x6C;
        }

        /// <summary>62xx or 63xx: warning, processing completed.</summary>
        public static bool IsWarning(int sw)
        {
            int sw1 = sw >> 8;
            return sw1 == 0x62 || sw1 == 0x63;
        }

        /// <summary>The xx of 61xx or 6Cxx as a length: 00 means 256.</summary>
        public static int Remaining(int sw)
        {
            int xx = sw & 0xFF;
            return xx == 0 ? 256 : xx;
        }

        /// <summary>63Cx: x tries left; -1 for any other status word.</summary>
        public static int TriesLeft(int sw)
        {
            return (sw & 0xFFF0) == 0x63C0 ? sw & 0x0F : -1;
        }

        /// <summary>6983: authentication method blocked.</summary>
        public static bool IsBlocked(int sw)
        {
            return sw == Blocked;
        }

        /// <summary>6982: security status not satisfied.</summary>
        public static bool IsSecurityNotSatisfied(int sw)
        {
            return sw == SecurityNotSatisfied;
        }

        /// <summary>True when SW1 is a valid first status byte (6x other than 60, or 9x).</summary>
        public static bool IsValidSw1(int sw1)
        {
            int high = sw1 & 0xF0;
            return (high == 0x60 && sw1 != 0x60) || high == 0x90;
        }
    }
}
