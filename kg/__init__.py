"""kg — a knowledge graph of Chinese government bodies, programs and policies,
built from the reply letters departments publish in answer to legislators' proposals."""
__version__ = "0.1.0"
