public enum _T {}
