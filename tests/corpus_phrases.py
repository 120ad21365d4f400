"""Phrases read by a person from the real files (pdftotext, the DOCX XML, the
HTML source, the text itself), used to prove each file is findable.

One phrase per file, chosen to occur in that file only.
"""
SEARCH_PHRASES = {
    "seeds/ke-hoach-2024-dak-lak-hoi-nghi-bao-chi.txt":
        "trong vòng 24 giờ khi có trường hợp đột xuất",
    "seeds/tin-2018-cao-bang-kh-3432.txt":
        "UBND tỉnh Cao Bằng đã ban hành Kế hoạch số 3432/KH-UBND",
    "seeds/tin-2023-dien-bien-truyen-thong-chinh-sach.txt":
        "Tăng cường công tác Truyền thông chính sách và Thông tin",
    "seeds/tin-2024-hoi-nghi-cung-cap-thong-tin-nhan-quyen.txt":
        "công văn số 1778/UBND-KGVX",
    "seeds/tin-btttt-huong-dan-qd-1079.txt":
        "phản bác các luận điệu lợi dụng vấn đề quyền con người",
    "pdf-text/05.signed_20250517_044750.pdf":
        "Xây dựng và Kinh doanh dịch vụ Quảng Ngãi (QISC)",
    "pdf-text/an_le_so_692023AL.pdf":
        "thỏa thuận bảo mật thông tin và không cạnh tranh",
    "pdf-text/an_le_so_722024AL.pdf":
        "Các điều 624, 630 và 634 Bộ luật Dân sự năm 2015",
    "pdf-text/bnt - BTTTT - Gop y du thao sua doi bo sung Chuong trinh VTCI"
    ".signed_20250510_124909.pdf":
        "202/BTTTT-KHTC ngày 21/01/2025",
    "pdf-text/vht534.signed_20250510_124908.pdf":
        "Tỉnh đoàn, Ban Dân tộc tỉnh",
    "docx/nghi_dinh_19_2019_ND_CP.docx": "VỀ HỌ, HỤI, BIÊU, PHƯỜNG",
    "docx/nghi_dinh_356_2025_ND_CP.docx":
        "Căn cứ Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15",
    "docx/nghi_quyet_01_2020_NQ_HDTP.docx": "tài sản chung của dòng họ",
    "docx/bo_luat_91_2015_QH13.docx":
        "Tài sản của pháp nhân bao gồm vốn góp của chủ sở hữu",
    "docx/an_le_so_262018AL.docx": "Pháp lệnh Thừa kế ngày 30-8-1990",
    "html/vbpl_v1.html": "Hà Nội, ngày 28 tháng 11 năm 2013",
    "html/vbpl.html": "Nhiệm vụ của Bộ luật hình sự",
}
