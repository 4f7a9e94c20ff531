using System;
using Terminal.Iso7816.Crypto;
using Terminal.Pace;

namespace Terminal.Tests.Device.Pace
{
    /// <summary>Deterministic xorshift bytes for the tests (not for keys in the product).</summary>
    public sealed class TestRandom : IRandomSource
    {
        private uint _state;

        public TestRandom(uint seed)
        {
            _state = seed == 0 ? 1u : seed;
        }

        public void GetBytes(byte[] buffer, int offset, int count)
        {
            for (int i = 0; i < count; i++)
            {
                _state ^= _state << 13;
                _state ^= _state >> 17;
                _state ^= _state << 5;
                buffer[offset + i] = (byte)_state;
            }
        }
    }

    /// <summary>Returns the given byte strings in order (the published private keys of a worked example).</summary>
    public sealed class ScriptedRandom : IRandomSource
    {
        private readonly byte[][] _values;
        private int _next;

        public ScriptedRandom(byte[][] values)
        {
            _values = values;
        }

        public void GetBytes(byte[] buffer, int offset, int count)
        {
            byte[] v = _values[_next++];
            Array.Copy(v, v.Length - count, buffer, offset, count);
        }
    }

    /// <summary>
    /// The card's side of PACE-GM for the reader tests, on the same primitives (PaceCrypto from the card's point of
    /// view), with faults to inject: a different password, a forged token, points off the curve, our own key echoed,
    /// removal at a given step, a chosen MSE:Set AT status.
    /// </summary>
    public sealed class PaceTestCard : Terminal.Pace.IApduChannel
    {
        public const int FaultNone = 0;
        public const int FaultTamperToken = 1;
        public const int FaultOffCurveMappingKey = 2;
        public const int FaultEchoDhKey = 3;

        private readonly PaceCrypto _pace;
        private readonly IEcArithmetic _ec;
        private readonly byte[] _password;
        private readonly int _n;
        private readonly int _pl;
        private readonly byte[] _kPi;
        private readonly byte[] _s = new byte[16];
        private readonly byte[] _sk;
        private readonly byte[] _pk;
        private readonly byte[] _peer;
        private readonly byte[] _h;
        private readonly byte[] _mapped;
        private readonly byte[] _secret;
        private int _step;

        public int Fault;
        public int MseStatus = 0x9000;
        public int RemoveAtCommand = -1;
        public int Commands;
        public int PasswordReference;
        public byte[] KsEnc;
        public byte[] KsMac;
        public bool Authenticated;

        public PaceTestCard(PaceAlgorithm algorithm, EcCurve curve, string password, uint seed)
        {
            _ec = new ManagedEcArithmetic(curve, new TestRandom(seed));
            _pace = new PaceCrypto(algorithm, _ec, ManagedCipherFactory.Instance);
            _password = new byte[password.Length];
            for (int i = 0; i < password.Length; i++)
            {
                _password[i] = (byte)password[i];
            }
            _n = curve.FieldLength;
            _pl = curve.PointLength;
            _kPi = new byte[algorithm.KeyLength];
            _sk = new byte[_n];
            _pk = new byte[_pl];
            _peer = new byte[_pl];
            _h = new byte[_pl];
            _mapped = new byte[_pl];
            _secret = new byte[_n];
            KsEnc = new byte[algorithm.KeyLength];
            KsMac = new byte[algorithm.KeyLength];
        }

        public int Transmit(byte[] command, int offset, int length, byte[] response, int responseOffset)
        {
            Commands++;
            if (Commands == RemoveAtCommand)
            {
                return -1;
            }
            int ins = command[offset + 1];
            if (ins == 0x22)
            {
                // 80 0A oid 83 01 ref
                PasswordReference = command[offset + 5 + 2 + 10 + 2];
                _step = 1;
                return Status(response, responseOffset, 0, MseStatus);
            }
            if (ins != 0x86)
            {
                return Status(response, responseOffset, 0, 0x6D00);
            }
            int data = offset + 5;
            int o = responseOffset;
            if (_step == 1)
            {
                // Nonce s, z = E(K_pi, s).
                _pace.PasswordKey(_password, 0, _password.Length, _kPi, 0);
                new TestRandom((uint)Commands * 77u).GetBytes(_s, 0, 16);
                response[o++] = 0x7C;
                response[o++] = 0x12;
                response[o++] = 0x80;
                response[o++] = 0x10;
                new ManagedAes(_kPi, 0, _kPi.Length).EncryptCbc(new byte[16], 0, _s, 0, 16, response, o);
                o += 16;
                _step = 2;
                return Status(response, responseOffset, o - responseOffset, 0x9000);
            }
            if (_step == 2)
            {
                Array.Copy(command, data + 4, _peer, 0, _pl);
                byte[] g = new byte[_pl];
                _ec.Curve.GetGenerator(g, 0);
                _pace.GenerateKeyPair(g, 0, _sk, 0, _pk, 0);
                if (_pace.MapGenerator(_s, 0, 16, _sk, 0, _n, _peer, 0, _h, 0, _mapped, 0) != PaceError.None)
                {
                    return Status(response, responseOffset, 0, 0x6A80);
                }
                if (Fault == FaultOffCurveMappingKey)
                {
                    _pk[_pl - 1] ^= 1;
                }
                _step = 3;
                return Point(response, responseOffset, 0x82, _pk);
            }
            if (_step == 3)
            {
                Array.Copy(command, data + 4, _peer, 0, _pl);
                _pace.GenerateKeyPair(_mapped, 0, _sk, 0, _pk, 0);
                if (_pace.SharedSecret(_sk, 0, _n, _pk, 0, _peer, 0, _secret, 0) != PaceError.None)
                {
                    return Status(response, responseOffset, 0, 0x6A80);
                }
                _pace.DeriveKey(_secret, 0, _n, PaceCrypto.CounterEnc, KsEnc, 0);
                _pace.DeriveKey(_secret, 0, _n, PaceCrypto.CounterMac, KsMac, 0);
                _step = 4;
                return Point(response, responseOffset, 0x84, Fault == FaultEchoDhKey ? _peer : _pk);
            }
            if (_step == 4)
            {
                // T_IFD must be the token over our key; a wrong password shows here (6300).
                byte[] expected = new byte[8];
                _pace.Token(KsMac, 0, _pk, 0, expected, 0);
                for (int i = 0; i < 8; i++)
                {
                    if (expected[i] != command[data + 4 + i])
                    {
                        _step = 0;
                        return Status(response, responseOffset, 0, 0x6300);
                    }
                }
                response[o++] = 0x7C;
                response[o++] = 0x0A;
                response[o++] = 0x86;
                response[o++] = 0x08;
                _pace.Token(KsMac, 0, _peer, 0, response, o);
                if (Fault == FaultTamperToken)
                {
                    response[o] ^= 0x01;
                }
                o += 8;
                Authenticated = true;
                _step = 0;
                return Status(response, responseOffset, o - responseOffset, 0x9000);
            }
            return Status(response, responseOffset, 0, 0x6985);
        }

        private int Point(byte[] response, int offset, int tag, byte[] point)
        {
            int o = offset;
            response[o++] = 0x7C;
            response[o++] = (byte)(_pl + 2);
            response[o++] = (byte)tag;
            response[o++] = (byte)_pl;
            Array.Copy(point, 0, response, o, _pl);
            o += _pl;
            return Status(response, offset, o - offset, 0x9000);
        }

        private static int Status(byte[] response, int offset, int dataLength, int sw)
        {
            response[offset + dataLength] = (byte)(sw >> 8);
            response[offset + dataLength + 1] = (byte)sw;
            return dataLength + 2;
        }
    }
}
