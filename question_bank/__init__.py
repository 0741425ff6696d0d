"""nablab's question bank: template -> variant -> rendered question -> answer check."""
