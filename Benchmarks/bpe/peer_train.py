"""Hugging Face tokenizers BPE training, configured as `rmprep tokenizer train --text` trains:
ByteLevel (GPT-2 regex), the five specials first, the full byte alphabet, min_frequency 0.
Usage: RAYON_NUM_THREADS=2 peer_train.py FILE VOCAB OUT.json
"""
import sys
from tokenizers import Tokenizer, models, pre_tokenizers, decoders, trainers

path, vocab, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
tok = Tokenizer(models.BPE())
tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
tok.decoder = decoders.ByteLevel()
trainer = trainers.BpeTrainer(vocab_size=vocab, min_frequency=0, show_progress=False,
                              special_tokens=["<|pad|>", "<|bos|>", "<|eos|>", "<|sep_resp|>", "<|sep_corr|>"],
                              initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
tok.train([path], trainer)
tok.save(out)
