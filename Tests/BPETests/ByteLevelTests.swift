// GPT-2's byte ↔ unicode map (INTEROP.md §3.3).

import BPE
import Testing

@Suite struct ByteLevelTests {
  @Test func documentedCodePoints() {
    #expect(ByteLevel.encode([0x20]) == "Ġ")
    #expect(ByteLevel.encode([0x0A]) == "Ċ")
    #expect(ByteLevel.character[0x00] == "\u{100}")
    #expect(ByteLevel.character[0x7F] == "\u{121}")
    #expect(ByteLevel.character[0xA0] == "\u{142}")
    #expect(ByteLevel.character[0xAD] == "\u{143}")
    #expect(ByteLevel.encode(Array(" hi".utf8)) == "Ġhi")
  }

  @Test func alphabetOrderIsPrintablesFirst() {
    let order = ByteLevel.bytesInAlphabetOrder
    #expect(order.count == 256 && Set(order).count == 256)
    #expect(order[0] == 0x21)  // "!" = GPT-2 id 0
    #expect(order[188] == 0x00)  // byte 0 = GPT-2 id 188
    #expect(order.firstIndex(of: 0x20) == 220)  // space = GPT-2 id 220
  }

  @Test func decodeInvertsEncode() {
    let all = (0..<256).map { UInt8($0) }
    #expect(ByteLevel.decode(ByteLevel.encode(all)) == all)
    #expect(ByteLevel.decode("a\u{2603}") == nil)  // ☃ is outside the alphabet
  }
}
