using System;
using BenchmarkDotNet.Attributes;
using Terminal.Iso7816;

namespace Terminal.Benchmarks
{
    /// <summary>
    /// The engine's hot paths: ATR parse, T=1 block encode/decode, a 255-byte T=0 case 4 exchange and a
    /// 4 KB chained T=1 exchange (4 KB out, 4 KB back) against an in-memory card line. Target: 0 B
    /// allocated per operation. Run: dotnet run -c Release --project Terminal.Benchmarks -- --filter '*Iso7816*' --job short
    /// </summary>
    [MemoryDiagnoser]
    public class Iso7816Benchmarks
    {
        private readonly byte[] _atrBytes = Convert.FromHexString("3BDA18FF81B1FE751F030031C573C001400090000C");
        private readonly Atr _atr = new Atr();
        private readonly byte[] _information = new byte[254];
        private readonly byte[] _block = new byte[T1Block.MaxBlockLength];
        private readonly byte[] _lrcBlock = new byte[T1Block.MaxBlockLength];
        private readonly byte[] _crcBlock = new byte[T1Block.MaxBlockLength];
        private int _lrcLength;
        private int _crcLength;

        private MemoryCardLine _t0Line = null!;
        private T0Protocol _t0 = null!;
        private byte[] _case4 = null!;
        private MemoryCardLine _t1Line = null!;
        private T1Protocol _t1 = null!;
        private readonly byte[] _command4k = new byte[4096];
        private readonly byte[] _response = new byte[8192];

        [GlobalSetup]
        public void Setup()
        {
            for (int i = 0; i < _information.Length; i++)
            {
                _information[i] = (byte)i;
            }
            _lrcLength = T1Block.Encode(0, 0x20, _information, 0, 254, false, _lrcBlock, 0);
            _crcLength = T1Block.Encode(0, 0x20, _information, 0, 254, true, _crcBlock, 0);

            _t0Line = new MemoryCardLine(0);
            _t0 = new T0Protocol(_t0Line, new Timing());
            // Case 4: 255 bytes out (PUT DATA), up to 256 back through GET RESPONSE.
            _case4 = new byte[5 + 255 + 1];
            _case4[1] = 0xDA;
            _case4[4] = 0xFF;
            if (T0Case4Exchange255() != 258)
            {
                throw new InvalidOperationException("T=0 exchange does not work");
            }

            _t1Line = new MemoryCardLine(1);
            _t1 = new T1Protocol(_t1Line, new Timing());
            _t1.Reset(254, false);
            if (_t1.NegotiateIfsd(254) != 0 || T1ChainedExchange4K() != 4098)
            {
                throw new InvalidOperationException("T=1 exchange does not work");
            }
        }

        [Benchmark]
        public AtrError AtrParse() => _atr.Parse(_atrBytes, 0, _atrBytes.Length);

        [Benchmark]
        public int T1BlockEncodeLrc254() => T1Block.Encode(0, 0x20, _information, 0, 254, false, _block, 0);

        [Benchmark]
        public bool T1BlockDecodeLrc254() => T1Block.IsValid(_lrcBlock, 0, _lrcLength, false);

        [Benchmark]
        public int T1BlockEncodeCrc254() => T1Block.Encode(0, 0x20, _information, 0, 254, true, _block, 0);

        [Benchmark]
        public bool T1BlockDecodeCrc254() => T1Block.IsValid(_crcBlock, 0, _crcLength, true);

        [Benchmark]
        public int T0Case4Exchange255() => _t0.TransmitApdu(_case4, 0, _case4.Length, _response, 0, _response.Length);

        [Benchmark]
        public int T1ChainedExchange4K() => _t1.Transmit(_command4k, 0, _command4k.Length, _response, 0, _response.Length);
    }

    /// <summary>
    /// A card line that answers at once from memory, allocation-free: protocol 0 plays a T=0 card (ACK,
    /// 61 00 after a case 3, 256 bytes for GET RESPONSE), protocol 1 a T=1 card (acknowledges chained
    /// I-blocks, answers each command with 4 096 bytes + 90 00 in chained I-blocks of IFSD, answers S(IFS)).
    /// </summary>
    internal sealed class MemoryCardLine : ICardLine
    {
        private const int ResponseLength = 4098;
        private readonly int _protocol;
        private readonly byte[] _queue = new byte[1024];
        private int _head;
        private int _tail;
        private readonly byte[] _message = new byte[300];
        private int _messageLength;
        private int _expected;
        private long _now;
        // T=1 card state
        private int _cardNs;
        private int _cardNr;
        private int _ifsd = 32;
        private int _responseSent;
        private readonly byte[] _responseData = new byte[ResponseLength];
        private readonly byte[] _block = new byte[T1Block.MaxBlockLength];

        public MemoryCardLine(int protocol)
        {
            _protocol = protocol;
            _expected = protocol == 0 ? 5 : 3;
            _responseData[ResponseLength - 2] = 0x90;
        }

        public int ClockHz => 4000000;

        public long Now => _now;

        public bool CardPresent => true;

        public void SetVcc(VoltageClass voltageClass)
        {
        }

        public void SetReset(bool high)
        {
        }

        public void SetClock(bool running)
        {
        }

        public void Configure(Convention convention, int fi, int di, int guardTimeEtu, bool errorSignal)
        {
        }

        public void Send(byte[] buffer, int offset, int count)
        {
            for (int i = 0; i < count; i++)
            {
                _now += 372 * 12;
                _message[_messageLength++] = buffer[offset + i];
                if (_protocol == 1 && _messageLength == 3)
                {
                    _expected = 3 + _message[2] + 1;
                }
                if (_messageLength == _expected)
                {
                    if (_protocol == 0)
                    {
                        T0Message();
                    }
                    else
                    {
                        T1Message();
                    }
                }
            }
        }

        public int Receive(long timeoutCycles)
        {
            if (_head == _tail)
            {
                _now += timeoutCycles;
                return LineStatus.Timeout;
            }
            _now += 372 * 12;
            int c = _queue[_head];
            _head = (_head + 1) % _queue.Length;
            return c;
        }

        public void Wait(long cycles)
        {
            _now += cycles;
        }

        private void Put(int b)
        {
            _queue[_tail] = (byte)b;
            _tail = (_tail + 1) % _queue.Length;
        }

        private void T0Message()
        {
            if (_expected == 5)
            {
                int ins = _message[1];
                int p3 = _message[4];
                Put(ins);
                if (ins == T0Protocol.InsGetResponse)
                {
                    int n = p3 == 0 ? 256 : p3;
                    for (int i = 0; i < n; i++)
                    {
                        Put(i);
                    }
                    Put(0x90);
                    Put(0x00);
                    _messageLength = 0;
                    return;
                }
                _expected = 5 + p3;
                return;
            }
            Put(0x61);
            Put(0x00);
            _messageLength = 0;
            _expected = 5;
        }

        private void T1Message()
        {
            int pcb = _message[1];
            _messageLength = 0;
            _expected = 3;
            if (T1Block.IsIBlock(pcb))
            {
                _cardNr ^= 1;
                if (T1Block.HasMore(pcb))
                {
                    PutBlock(T1Block.RPcb(_cardNr, 0), null, 0, 0);
                    return;
                }
                _responseSent = 0;
                NextResponseBlock();
                return;
            }
            if (T1Block.IsRBlock(pcb))
            {
                NextResponseBlock();
                return;
            }
            if (T1Block.IsSBlock(pcb) && T1Block.SType(pcb) == T1Block.Ifs)
            {
                _ifsd = _message[3];
                PutBlock(T1Block.SPcb(T1Block.Ifs, true), _message, 3, 1);
            }
        }

        private void NextResponseBlock()
        {
            int n = ResponseLength - _responseSent;
            if (n > _ifsd)
            {
                n = _ifsd;
            }
            bool more = _responseSent + n < ResponseLength;
            PutBlock(T1Block.IPcb(_cardNs, more), _responseData, _responseSent, n);
            _cardNs ^= 1;
            _responseSent += n;
        }

        private void PutBlock(byte pcb, byte[]? inf, int offset, int length)
        {
            int n = T1Block.Encode(0, pcb, inf, offset, length, false, _block, 0);
            for (int i = 0; i < n; i++)
            {
                Put(_block[i]);
            }
        }
    }
}
