using System;
using System.Collections.Generic;
using System.IO;

namespace Terminal.Simulator
{
    /// <summary>Read condition of an EF.</summary>
    public enum ReadCondition
    {
        /// <summary>Readable without condition.</summary>
        Always,
        /// <summary>Never readable: 6982.</summary>
        Never,
        /// <summary>Readable once the PIN is verified in this card session.</summary>
        Pin,
    }

    /// <summary>A file of an ISO/IEC 7816-4 file system.</summary>
    public abstract class CardFile
    {
        /// <summary>File identifier.</summary>
        public ushort Fid { get; }

        /// <summary>The DF holding it (null for the MF).</summary>
        public DedicatedFile? Parent { get; internal set; }

        /// <summary>Makes a file.</summary>
        protected CardFile(ushort fid) { Fid = fid; }
    }

    /// <summary>A DF (or the MF).</summary>
    public sealed class DedicatedFile : CardFile
    {
        /// <summary>DF name (AID), or null.</summary>
        public byte[]? Name { get; }

        /// <summary>Files in this DF.</summary>
        public List<CardFile> Children { get; } = new List<CardFile>();

        /// <summary>Makes a DF.</summary>
        public DedicatedFile(ushort fid, byte[]? name = null) : base(fid) { Name = name; }

        /// <summary>Adds a child and returns it.</summary>
        public T Add<T>(T file) where T : CardFile
        {
            file.Parent = this;
            Children.Add(file);
            return file;
        }

        /// <summary>The child with this FID, or null.</summary>
        public CardFile? Child(ushort fid) => Children.Find(c => c.Fid == fid);
    }

    /// <summary>An EF: transparent (bytes) or linear fixed (records).</summary>
    public sealed class ElementaryFile : CardFile
    {
        /// <summary>Short EF identifier (1..30), 0 for none.</summary>
        public int Sfi { get; }

        /// <summary>Content of a transparent EF (null for a record EF).</summary>
        public byte[]? Content { get; set; }

        /// <summary>Records of a record EF (null for a transparent EF).</summary>
        public List<byte[]>? Records { get; }

        /// <summary>Read condition.</summary>
        public ReadCondition Read { get; set; } = ReadCondition.Always;

        /// <summary>Whether UPDATE BINARY may write it.</summary>
        public bool Writable { get; set; }

        /// <summary>A transparent EF.</summary>
        public ElementaryFile(ushort fid, int sfi, byte[] content) : base(fid) { Sfi = sfi; Content = content; }

        /// <summary>A linear fixed EF.</summary>
        public ElementaryFile(ushort fid, int sfi, List<byte[]> records) : base(fid) { Sfi = sfi; Records = records; }
    }

    /// <summary>
    /// An ISO/IEC 7816-4 file system application: SELECT (by FID, DF name, path), READ BINARY (offset
    /// or SFI), UPDATE BINARY, READ RECORD, GET DATA, with the usual status words. Subclasses add
    /// their commands and shape their FCPs.
    /// </summary>
    public class Iso7816Application : ICardApplication
    {
        /// <summary>The MF.</summary>
        public DedicatedFile Mf { get; }

        /// <summary>The current DF.</summary>
        protected DedicatedFile CurrentDf { get; set; }

        /// <summary>The current EF, or null.</summary>
        protected ElementaryFile? CurrentEf { get; set; }

        /// <summary>GET DATA (CA) objects by tag P1P2.</summary>
        public Dictionary<int, byte[]> DataObjects { get; } = new Dictionary<int, byte[]>();

        /// <summary>Class bytes accepted (00 by default).</summary>
        protected virtual bool ClassAccepted(byte cla) => (cla & 0xF0) == 0x00 && (cla & 0x0C) == 0;

        /// <summary>Makes an application with an empty MF (3F00, optionally named).</summary>
        public Iso7816Application(byte[]? mfName = null)
        {
            Mf = new DedicatedFile(0x3F00, mfName);
            CurrentDf = Mf;
        }

        /// <summary>Whether the PIN was verified in this card session (read condition Pin).</summary>
        protected virtual bool PinVerified => false;

        /// <inheritdoc/>
        public virtual void Reset()
        {
            CurrentDf = Mf;
            CurrentEf = null;
        }

        /// <inheritdoc/>
        public virtual bool CommandHasData(byte cla, byte ins, byte p1, byte p2) => Iso7816Commands.HasData(ins);

        /// <inheritdoc/>
        public virtual ApduResponse Process(ApduCommand c)
        {
            if (!ClassAccepted(c.Cla)) { return ApduResponse.Status(Sw.ClaNotSupported); }
            switch (c.Ins)
            {
                case 0xA4: return Select(c);
                case 0xB0: return ReadBinary(c);
                case 0xD6: return UpdateBinary(c);
                case 0xB2: return ReadRecord(c);
                case 0xCA: return GetData(c);
                default: return ApduResponse.Status(Sw.InsNotSupported);
            }
        }

        // ---- SELECT ----------------------------------------------------------------------------

        /// <summary>SELECT: P1 00 (FID), 01 (child DF), 02 (EF in current DF), 03 (parent), 04 (DF name), 08 (path from MF), 09 (path from current DF).</summary>
        protected virtual ApduResponse Select(ApduCommand c)
        {
            byte[] d = c.Data;
            CardFile? found = null;
            switch (c.P1)
            {
                case 0x00:
                    if (d.Length == 0) { found = Mf; break; }
                    if (d.Length != 2) { return ApduResponse.Status(Sw.WrongData); }
                    found = FindByFid(Fid(d, 0));
                    break;
                case 0x01:
                    if (d.Length != 2) { return ApduResponse.Status(Sw.WrongData); }
                    found = CurrentDf.Child(Fid(d, 0)) as DedicatedFile;
                    break;
                case 0x02:
                    if (d.Length != 2) { return ApduResponse.Status(Sw.WrongData); }
                    ushort fid = Fid(d, 0);
                    found = fid == 0x3F00 ? Mf : CurrentDf.Child(fid);
                    break;
                case 0x03:
                    found = CurrentDf.Parent ?? Mf;
                    break;
                case 0x04:
                    if (d.Length == 0 || d.Length > 16) { return ApduResponse.Status(Sw.WrongData); }
                    found = FindByName(Mf, d);
                    break;
                case 0x08:
                case 0x09:
                    if (d.Length == 0 || d.Length % 2 != 0) { return ApduResponse.Status(Sw.WrongData); }
                    found = FindByPath(c.P1 == 0x08 ? Mf : CurrentDf, d);
                    break;
                default:
                    return ApduResponse.Status(Sw.WrongP1P2);
            }
            if (found == null) { return ApduResponse.Status(Sw.FileNotFound); }
            if (found is DedicatedFile df)
            {
                CurrentDf = df;
                CurrentEf = null;
            }
            else
            {
                CurrentEf = (ElementaryFile)found;
                CurrentDf = found.Parent ?? Mf;
            }
            int p2 = c.P2 & 0x0C;
            if (p2 == 0x0C) { return ApduResponse.Status(Sw.Ok); }
            byte[] fcx = p2 == 0x00 ? Fci(found) : Fcp(found);
            return fcx.Length == 0 ? ApduResponse.Status(Sw.Ok) : ApduResponse.Ok(fcx);
        }

        /// <summary>FCI returned for P2 = 00 (the FCP by default).</summary>
        protected virtual byte[] Fci(CardFile file) => Fcp(file);

        /// <summary>FCP (tag 62) of a file.</summary>
        protected virtual byte[] Fcp(CardFile file)
        {
            var t = new Tlv();
            if (file is ElementaryFile ef)
            {
                int size = ef.Content?.Length ?? 0;
                t.Add(0x80, new byte[] { (byte)(size >> 8), (byte)size });
                t.Add(0x82, ef.Records != null ? new byte[] { 0x02 } : new byte[] { 0x01 });
                t.Add(0x83, new byte[] { (byte)(ef.Fid >> 8), (byte)ef.Fid });
                if (ef.Sfi != 0) { t.Add(0x88, new byte[] { (byte)(ef.Sfi << 3) }); }
            }
            else
            {
                var df = (DedicatedFile)file;
                t.Add(0x82, new byte[] { 0x38 });
                t.Add(0x83, new byte[] { (byte)(df.Fid >> 8), (byte)df.Fid });
                if (df.Name != null) { t.Add(0x84, df.Name); }
            }
            return Tlv.Wrap(0x62, t.ToArray());
        }

        /// <summary>An FID from the MF, the current DF, its children, or its parent.</summary>
        protected CardFile? FindByFid(ushort fid)
        {
            if (fid == 0x3F00) { return Mf; }
            CardFile? f = CurrentDf.Child(fid);
            if (f != null) { return f; }
            if (CurrentDf.Parent != null)
            {
                if (CurrentDf.Parent.Fid == fid) { return CurrentDf.Parent; }
                f = CurrentDf.Parent.Child(fid);
                if (f is DedicatedFile) { return f; }
            }
            return Mf.Child(fid);
        }

        /// <summary>A DF whose name starts with <paramref name="name"/> (ISO 7816-4 partial name).</summary>
        protected static DedicatedFile? FindByName(DedicatedFile df, byte[] name)
        {
            if (df.Name != null && df.Name.Length >= name.Length && StartsWith(df.Name, name)) { return df; }
            foreach (CardFile c in df.Children)
            {
                if (c is DedicatedFile child)
                {
                    DedicatedFile? f = FindByName(child, name);
                    if (f != null) { return f; }
                }
            }
            return null;
        }

        /// <summary>A path of FIDs; a leading 3F00 always means the MF.</summary>
        protected CardFile? FindByPath(DedicatedFile from, byte[] path)
        {
            CardFile? f = from;
            for (int i = 0; i < path.Length; i += 2)
            {
                ushort fid = Fid(path, i);
                if (i == 0 && fid == 0x3F00) { f = Mf; continue; }
                if (f is not DedicatedFile df) { return null; }
                f = df.Child(fid);
                if (f == null) { return null; }
            }
            return f;
        }

        private static bool StartsWith(byte[] a, byte[] prefix)
        {
            for (int i = 0; i < prefix.Length; i++) { if (a[i] != prefix[i]) { return false; } }
            return true;
        }

        /// <summary>Big-endian FID.</summary>
        protected static ushort Fid(byte[] d, int o) => (ushort)((d[o] << 8) | d[o + 1]);

        /// <summary>The EF with this SFI in the current DF.</summary>
        protected ElementaryFile? FindBySfi(int sfi) =>
            CurrentDf.Children.Find(f => f is ElementaryFile e && e.Sfi == sfi) as ElementaryFile;

        // ---- READ / UPDATE ---------------------------------------------------------------------

        /// <summary>Checks the read condition of an EF; 0 when allowed, else the status word.</summary>
        protected virtual int CheckRead(ElementaryFile ef)
        {
            switch (ef.Read)
            {
                case ReadCondition.Never: return Sw.SecurityNotSatisfied;
                case ReadCondition.Pin: return PinVerified ? 0 : Sw.SecurityNotSatisfied;
                default: return 0;
            }
        }

        /// <summary>READ BINARY: P1 b8 = 1 selects by SFI (offset P2), else offset P1P2.</summary>
        protected virtual ApduResponse ReadBinary(ApduCommand c)
        {
            int offset;
            ElementaryFile? ef;
            if ((c.P1 & 0x80) != 0)
            {
                if ((c.P1 & 0x60) != 0) { return ApduResponse.Status(Sw.WrongP1P2); }
                ef = FindBySfi(c.P1 & 0x1F);
                if (ef == null) { return ApduResponse.Status(Sw.FileNotFound); }
                offset = c.P2;
            }
            else
            {
                ef = CurrentEf;
                if (ef == null) { return ApduResponse.Status(Sw.NoCurrentEf); }
                offset = ((c.P1 & 0x7F) << 8) | c.P2;
            }
            if (ef.Content == null) { return ApduResponse.Status(Sw.IncompatibleFile); }
            int sw = CheckRead(ef);
            if (sw != 0) { return ApduResponse.Status(sw); }
            CurrentEf = ef;
            if (offset > ef.Content.Length) { return ApduResponse.Status(Sw.WrongOffset); }
            int n = Math.Min(c.Ne == 0 ? 256 : c.Ne, ef.Content.Length - offset);
            if (n == 0) { return ApduResponse.Status(Sw.EndOfFile); }
            var data = new byte[n];
            Buffer.BlockCopy(ef.Content, offset, data, 0, n);
            return ApduResponse.Ok(data);
        }

        /// <summary>UPDATE BINARY on a writable EF.</summary>
        protected virtual ApduResponse UpdateBinary(ApduCommand c)
        {
            ElementaryFile? ef;
            int offset;
            if ((c.P1 & 0x80) != 0)
            {
                ef = FindBySfi(c.P1 & 0x1F);
                if (ef == null) { return ApduResponse.Status(Sw.FileNotFound); }
                offset = c.P2;
            }
            else
            {
                ef = CurrentEf;
                if (ef == null) { return ApduResponse.Status(Sw.NoCurrentEf); }
                offset = ((c.P1 & 0x7F) << 8) | c.P2;
            }
            if (ef.Content == null) { return ApduResponse.Status(Sw.IncompatibleFile); }
            if (!ef.Writable) { return ApduResponse.Status(Sw.SecurityNotSatisfied); }
            if (offset + c.Data.Length > ef.Content.Length) { return ApduResponse.Status(Sw.WrongOffset); }
            Buffer.BlockCopy(c.Data, 0, ef.Content, offset, c.Data.Length);
            CurrentEf = ef;
            return ApduResponse.Status(Sw.Ok);
        }

        /// <summary>READ RECORD: P1 record number, P2 = SFI &lt;&lt; 3 | 4 (SFI 0: current EF).</summary>
        protected virtual ApduResponse ReadRecord(ApduCommand c)
        {
            if ((c.P2 & 0x07) != 0x04) { return ApduResponse.Status(Sw.WrongP1P2); }
            int sfi = c.P2 >> 3;
            ElementaryFile? ef = sfi == 0 ? CurrentEf : FindBySfi(sfi);
            if (ef == null) { return ApduResponse.Status(sfi == 0 ? Sw.NoCurrentEf : Sw.FileNotFound); }
            if (ef.Records == null) { return ApduResponse.Status(Sw.IncompatibleFile); }
            int sw = CheckRead(ef);
            if (sw != 0) { return ApduResponse.Status(sw); }
            CurrentEf = ef;
            if (c.P1 == 0 || c.P1 > ef.Records.Count) { return ApduResponse.Status(Sw.RecordNotFound); }
            byte[] rec = ef.Records[c.P1 - 1];
            int n = Math.Min(c.Ne == 0 ? 256 : c.Ne, rec.Length);
            var data = new byte[n];
            Buffer.BlockCopy(rec, 0, data, 0, n);
            return ApduResponse.Ok(data);
        }

        /// <summary>GET DATA (CA): the object of tag P1P2.</summary>
        protected virtual ApduResponse GetData(ApduCommand c)
        {
            int tag = (c.P1 << 8) | c.P2;
            if (!DataObjects.TryGetValue(tag, out byte[]? v)) { return ApduResponse.Status(Sw.DataNotFound); }
            return ApduResponse.Ok(v);
        }

        // ---- building from data ----------------------------------------------------------------

        /// <summary>Adds files described by a profile; intermediate DFs are made as needed.</summary>
        public void AddFiles(IEnumerable<FileSpec>? files)
        {
            if (files == null) { return; }
            foreach (FileSpec f in files)
            {
                string[] parts = f.Path.Split('/', StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length == 0 || !string.Equals(parts[0], "3F00", StringComparison.OrdinalIgnoreCase))
                {
                    throw new InvalidDataException($"file path '{f.Path}' must start with 3F00");
                }
                DedicatedFile df = Mf;
                for (int i = 1; i < parts.Length - 1; i++)
                {
                    ushort id = Convert.ToUInt16(parts[i], 16);
                    df = df.Child(id) as DedicatedFile ?? df.Add(new DedicatedFile(id));
                }
                if (parts.Length == 1) { continue; }
                ushort fid = Convert.ToUInt16(parts[^1], 16);
                switch (f.Type.ToLowerInvariant())
                {
                    case "df":
                        df.Add(new DedicatedFile(fid, f.Aid == null ? null : Hex.Parse(f.Aid)));
                        break;
                    case "records":
                        var recs = new List<byte[]>();
                        foreach (string r in f.Records ?? new List<string>()) { recs.Add(Hex.Parse(r)); }
                        df.Add(new ElementaryFile(fid, f.Sfi, recs) { Read = ParseRead(f.Read) });
                        break;
                    default:
                        byte[] content;
                        if (f.Hex != null) { content = Hex.Parse(f.Hex); }
                        else if (f.Text != null) { content = System.Text.Encoding.ASCII.GetBytes(f.Text); }
                        else
                        {
                            content = new byte[f.PatternSize];
                            for (int i = 0; i < content.Length; i++) { content[i] = (byte)(i % 251); }
                        }
                        df.Add(new ElementaryFile(fid, f.Sfi, content) { Read = ParseRead(f.Read), Writable = f.Writable });
                        break;
                }
            }
        }

        private static ReadCondition ParseRead(string s) => s.ToLowerInvariant() switch
        {
            "never" => ReadCondition.Never,
            "pin" => ReadCondition.Pin,
            _ => ReadCondition.Always,
        };
    }

    /// <summary>Which instructions carry command data in T=0 (P3 is Lc), per ISO/IEC 7816-4.</summary>
    public static class Iso7816Commands
    {
        /// <summary>True for instructions whose P3 is Lc.</summary>
        public static bool HasData(byte ins)
        {
            switch (ins)
            {
                case 0xA4: // SELECT
                case 0xD6: // UPDATE BINARY
                case 0xD0: // WRITE BINARY
                case 0xDC: // UPDATE RECORD
                case 0xE2: // APPEND RECORD
                case 0x20: // VERIFY
                case 0x21:
                case 0x24: // CHANGE REFERENCE DATA
                case 0x2C: // RESET RETRY COUNTER
                case 0x22: // MSE
                case 0x2A: // PSO
                case 0x88: // INTERNAL AUTHENTICATE
                case 0x82: // EXTERNAL AUTHENTICATE
                case 0x86: // GENERAL AUTHENTICATE
                case 0x87:
                case 0x46: // GENERATE KEY PAIR
                case 0x47:
                case 0xCB: // GET DATA (odd: data field holds the object reference)
                case 0xDA: // PUT DATA
                case 0xDB:
                case 0x70: // MANAGE CHANNEL has no data in ISO, kept out
                    return ins != 0x70;
                default:
                    return false;
            }
        }
    }

    /// <summary>A small BER-TLV writer (tags of one to three bytes, definite lengths).</summary>
    public sealed class Tlv
    {
        private readonly MemoryStream _s = new MemoryStream();

        /// <summary>Appends tag, length, value.</summary>
        public Tlv Add(int tag, byte[] value)
        {
            WriteTag(_s, tag);
            WriteLength(_s, value.Length);
            _s.Write(value, 0, value.Length);
            return this;
        }

        /// <summary>Appends raw bytes.</summary>
        public Tlv Raw(byte[] bytes)
        {
            _s.Write(bytes, 0, bytes.Length);
            return this;
        }

        /// <summary>The bytes so far.</summary>
        public byte[] ToArray() => _s.ToArray();

        /// <summary>tag, length, value as bytes.</summary>
        public static byte[] Wrap(int tag, byte[] value) => new Tlv().Add(tag, value).ToArray();

        /// <summary>Concatenation.</summary>
        public static byte[] Concat(params byte[][] parts)
        {
            var s = new MemoryStream();
            foreach (byte[] p in parts) { s.Write(p, 0, p.Length); }
            return s.ToArray();
        }

        private static void WriteTag(Stream s, int tag)
        {
            if (tag > 0xFFFF) { s.WriteByte((byte)(tag >> 16)); }
            if (tag > 0xFF) { s.WriteByte((byte)(tag >> 8)); }
            s.WriteByte((byte)tag);
        }

        private static void WriteLength(Stream s, int n)
        {
            if (n < 0x80) { s.WriteByte((byte)n); }
            else if (n <= 0xFF) { s.WriteByte(0x81); s.WriteByte((byte)n); }
            else { s.WriteByte(0x82); s.WriteByte((byte)(n >> 8)); s.WriteByte((byte)n); }
        }
    }
}
